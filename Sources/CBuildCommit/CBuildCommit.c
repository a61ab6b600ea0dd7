#include "CBuildCommit.h"

// A C target because Swift compiler flags cannot carry a string value: Package.swift defines
// CAMPAIGN_BUILD_COMMIT for this file only.
#ifndef CAMPAIGN_BUILD_COMMIT
#define CAMPAIGN_BUILD_COMMIT "unknown"
#endif

const char *campaign_build_commit(void) { return CAMPAIGN_BUILD_COMMIT; }
