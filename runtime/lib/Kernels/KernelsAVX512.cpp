//===- KernelsAVX512.cpp - The AVX512 kernel table
//-------------------------===//
//
// Compiled with this instruction set's flags (see CMakeLists.txt); used only
// when the CPU supports it.
//
//===----------------------------------------------------------------------===//

#define TT_ISA_AVX512
#define TT_TABLE kAVX512Table
#define TT_TABLE_NAME "avx512-vnni"
#include "KernelsImpl.inc"
