#ifndef LATTICETOP_CNATS_SHIM_H
#define LATTICETOP_CNATS_SHIM_H
#include <nats/nats.h>
#endif
