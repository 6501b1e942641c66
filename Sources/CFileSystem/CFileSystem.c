#if defined(__linux__)
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <unistd.h>

#include "CFileSystem.h"

int partnering_syncfs(int descriptor) {
#if defined(__linux__)
    return syncfs(descriptor);
#else
    (void)descriptor;
    errno = ENOSYS;
    return -1;
#endif
}
