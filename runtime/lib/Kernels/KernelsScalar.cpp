//===- KernelsScalar.cpp - The Scalar kernel table
//-------------------------===//
//
// Compiled with this instruction set's flags (see CMakeLists.txt); used only
// when the CPU supports it.
//
//===----------------------------------------------------------------------===//

#define TT_ISA_SCALAR
#define TT_TABLE kScalarTable
#define TT_TABLE_NAME "scalar"
#include "KernelsImpl.inc"
