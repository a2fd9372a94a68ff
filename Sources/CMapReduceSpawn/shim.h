#ifndef CMAPREDUCESPAWN_SHIM_H
#define CMAPREDUCESPAWN_SHIM_H

// pipe2 and posix_spawn_file_actions_addclosefrom_np (glibc 2.34) are GNU
// extensions, which Swift's Glibc module leaves out; `run` needs both to start
// its processes without handing one another's pipes to them.

#include <spawn.h>

extern int pipe2(int fds[2], int flags);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

#endif
