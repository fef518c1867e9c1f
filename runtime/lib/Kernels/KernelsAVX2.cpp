//===- KernelsAVX2.cpp - The AVX2 kernel table -------------------------===//
//
// Compiled with this instruction set's flags (see CMakeLists.txt); used only
// when the CPU supports it.
//
//===----------------------------------------------------------------------===//

#define TT_ISA_AVX2
#define TT_TABLE kAVX2Table
#define TT_TABLE_NAME "avx2"
#include "KernelsImpl.inc"
