/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KECHO_ECHO_H
#define KECHO_ECHO_H

#include "../engine/ksrv.h"

extern const struct ksrv_proto kecho_proto;
extern const struct ksrv_proto kecho_zerocopy_proto;

#endif /* KECHO_ECHO_H */
