/* blackhole.h - the 'blackhole' connector: a sink that accepts every row
 * kind and discards it, counting what it got (for benchmarks, tests and
 * metrics). */
#ifndef SL_CONNECTORS_BLACKHOLE_BLACKHOLE_H
#define SL_CONNECTORS_BLACKHOLE_BLACKHOLE_H

#include <stdint.h>

#include "connectors/connector.h"

extern const sl_connector_type_t sl_blackhole_connector;

/* Rows a blackhole sink instance has received: of one kind (SL_INSERT ..
 * SL_DELETE), or of every kind for kind -1. Safe from any thread (the
 * counters are atomic). 0 for a sink that is not a blackhole. */
uint64_t sl_blackhole_count(const sl_sink_t *snk, int kind);

#endif
