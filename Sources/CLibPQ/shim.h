// libpq from Debian's libpq-dev; its headers live under /usr/include/postgresql.
#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
#include <postgresql/libpq-fe.h>
#endif
