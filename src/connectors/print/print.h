/* print.h - the 'print' connector: a sink writing each row to stdout or
 * stderr as Flink's print connector does ("id> +I[1, abc]"). */
#ifndef SL_CONNECTORS_PRINT_PRINT_H
#define SL_CONNECTORS_PRINT_PRINT_H

#include "connectors/connector.h"

extern const sl_connector_type_t sl_print_connector;

#endif
