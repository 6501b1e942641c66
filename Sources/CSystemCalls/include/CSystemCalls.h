#ifndef PARTNERING_CSYSTEMCALLS_H
#define PARTNERING_CSYSTEMCALLS_H

// The Linux system calls that Glibc declares only under _GNU_SOURCE, which Swift's
// Glibc module does not define, so that Swift can call them directly.

/// Flushes every pending write of the file system holding the open file `descriptor`
/// (Linux `syncfs(2)`). Returns 0, or -1 with errno set; -1 with ENOSYS where there is none.
int partnering_syncfs(int descriptor);

/// Names the calling thread as `top -H`, `ps -L` and debuggers show it (Linux
/// `pthread_setname_np`); the name is cut to the kernel's 15 bytes. Returns 0 or an error
/// number; ENOSYS where threads cannot be named this way.
int partnering_name_current_thread(const char *name);

#endif
