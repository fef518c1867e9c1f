//===- Passes.td - Passes of the ttx example plugin ---------*- tablegen -*-===//

#ifndef TTEXAMPLE_PASSES_TD
#define TTEXAMPLE_PASSES_TD

include "mlir/Pass/PassBase.td"

def TTXAnnotateCosts : Pass<"ttx-annotate-costs"> {
  let summary = "Annotate every costed layer with its parameters and FLOPs";
  let description = [{
    Walks every op implementing `tt::CostOpInterface`, whichever dialect
    defines it (tt's core layers and any plugin's), and sets two
    discardable attributes on it:

    - `ttx.params`: the parameter count (`i64`, `getParameterCount`);
    - `ttx.flops`: FLOPs per token when decoding one token at context 1
      (`f64`, `getFlopsPerToken(tt::CostPoint::decode(1))`).

    The pass knows no op by name: it shows that a pass written against the
    interface covers layers added by plugins.

    ```
    $ tt-opt model.mlir --load-dialect-plugin=lib/libTTExamplePlugin.so \
        --load-pass-plugin=lib/libTTExamplePassPlugin.so \
        --pass-pipeline='builtin.module(ttx-annotate-costs)'
    ```
  }];
}

#endif // TTEXAMPLE_PASSES_TD
