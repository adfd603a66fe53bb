#!/usr/bin/env bash
# 10_containment.sh's checks as uid 65534 (see podlib.sh): a pass of its
# own, so each script stays within the runner's time limit.
export POD_PASSES=65534
source "$(dirname "$0")/10_containment.sh"
