#ifndef PARTNERING_CQRENCODE_SHIM_H
#define PARTNERING_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
