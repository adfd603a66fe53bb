#!/usr/bin/env bash
# 16_setup.sh's checks as uid 65534 (see podlib.sh).
export POD_PASSES=65534
source "$(dirname "$0")/16_setup.sh"
