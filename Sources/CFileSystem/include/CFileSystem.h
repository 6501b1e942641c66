#ifndef PARTNERING_CFILESYSTEM_H
#define PARTNERING_CFILESYSTEM_H

/// Flushes every pending write of the file system holding the open file `descriptor`
/// (Linux `syncfs(2)`, which Glibc declares only under _GNU_SOURCE, hidden from Swift's
/// Glibc module). Returns 0, or -1 with errno set; -1 with ENOSYS where there is no syncfs.
int partnering_syncfs(int descriptor);

#endif
