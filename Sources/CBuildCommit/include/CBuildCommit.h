#ifndef CBUILDCOMMIT_H
#define CBUILDCOMMIT_H

/// The git commit this binary was built from, as Package.swift read it ("unknown" outside a checkout).
const char *campaign_build_commit(void);

#endif
