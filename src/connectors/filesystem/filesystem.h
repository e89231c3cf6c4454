/* filesystem.h - the 'filesystem' connector: a bounded source reading a
 * file or a directory of files, and a sink appending to a file, in the
 * csv, json, debezium-json or canal-json format (connectors/formats/). */
#ifndef SL_CONNECTORS_FILESYSTEM_FILESYSTEM_H
#define SL_CONNECTORS_FILESYSTEM_FILESYSTEM_H

#include "connectors/connector.h"

extern const sl_connector_type_t sl_filesystem_connector;

#endif
