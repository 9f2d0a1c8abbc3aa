#ifndef AUDITWATCH_CYAML_SHIM_H
#define AUDITWATCH_CYAML_SHIM_H
#include <yaml.h>
#endif
