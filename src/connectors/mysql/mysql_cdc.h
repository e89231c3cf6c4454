/* mysql_cdc.h - the 'mysql-cdc' source: a lock-free chunked snapshot, then
 * the binlog, as one changelog keyed by the primary key. See mysql_cdc.c
 * and docs/CONNECTORS.md. */
#ifndef SL_CONNECTORS_MYSQL_MYSQL_CDC_H
#define SL_CONNECTORS_MYSQL_MYSQL_CDC_H

#include "connectors/connector.h"

extern const sl_connector_type_t sl_mysql_cdc_connector;

#endif
