#ifndef PARTNERING_COPENSSL_SHIM_H
#define PARTNERING_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#endif
