/* datagen.h - the 'datagen' connector: a source of random or sequential
 * rows for tests and benchmarks, with Flink's options (see
 * docs/CONNECTORS.md). */
#ifndef SL_CONNECTORS_DATAGEN_DATAGEN_H
#define SL_CONNECTORS_DATAGEN_DATAGEN_H

#include "connectors/connector.h"

extern const sl_connector_type_t sl_datagen_connector;

#endif
