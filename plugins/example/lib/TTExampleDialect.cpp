//===- TTExampleDialect.cpp - The ttx example dialect ---------------------===//

#include "TTExample/TTExampleDialect.h"
#include "TTExample/TTExampleOps.h"

using namespace ttx;

#include "TTExample/TTExampleDialect.cpp.inc"

void TTXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "TTExample/TTExampleOps.cpp.inc"
      >();
}
