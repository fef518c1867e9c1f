//===- GapReport.cpp - Gap reports and tensor lists for imports -----------===//

#include "tt/Import/GapReport.h"
#include "tt/Dialect/TT/IR/TTOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using llvm::json::Array;
using llvm::json::Object;
using JValue = llvm::json::Value;

namespace {

std::string typeString(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  return s;
}

/// `(4096, 4096)`, `(4096,)` as Python prints a tuple.
std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

JValue attrToJSON(Attribute a) {
  if (auto b = dyn_cast<BoolAttr>(a))
    return b.getValue();
  if (auto i = dyn_cast<IntegerAttr>(a))
    return i.getValue().getSExtValue();
  if (auto f = dyn_cast<FloatAttr>(a))
    return f.getValueAsDouble();
  if (auto s = dyn_cast<StringAttr>(a))
    return s.getValue().str();
  if (auto arr = dyn_cast<ArrayAttr>(a)) {
    Array out;
    for (Attribute e : arr)
      out.push_back(attrToJSON(e));
    return out;
  }
  if (auto d = dyn_cast<DictionaryAttr>(a)) {
    Object out;
    for (NamedAttribute n : d)
      out[n.getName().getValue()] = attrToJSON(n.getValue());
    return out;
  }
  std::string s;
  llvm::raw_string_ostream os(s);
  a.print(os);
  return s;
}

std::string fileStem(StringRef kind) {
  std::string s;
  for (char c : kind)
    s += (llvm::isAlnum(c) || c == '_' || c == '-' || c == '.') ? c : '_';
  return s.empty() ? "unnamed" : s;
}

/// Reads `<gapsDir>/<kind>.json`; std::nullopt when absent or malformed
/// (malformed files are reported on stderr).
std::optional<Object> readGuidance(StringRef gapsDir, StringRef kind) {
  if (gapsDir.empty())
    return std::nullopt;
  llvm::SmallString<256> p(gapsDir);
  llvm::sys::path::append(p, fileStem(kind) + ".json");
  auto buf = llvm::MemoryBuffer::getFile(p);
  if (!buf)
    return std::nullopt;
  auto parsed = llvm::json::parse((*buf)->getBuffer());
  if (!parsed) {
    llvm::errs() << p << ": warning: ignoring malformed gap guidance: "
                 << llvm::toString(parsed.takeError()) << "\n";
    return std::nullopt;
  }
  if (auto *o = parsed->getAsObject())
    return std::move(*o);
  llvm::errs() << p
               << ": warning: ignoring gap guidance that is not an "
                  "object\n";
  return std::nullopt;
}

struct KindInfo {
  tt::UnsupportedOp first;
  std::vector<int64_t> layers; // index of each occurrence, -1 outside layers
};

} // namespace

std::vector<Object> tt::buildGapReports(ModuleOp module, StringRef gapsDir) {
  llvm::MapVector<StringRef, KindInfo> kinds;
  module.walk([&](tt::UnsupportedOp op) {
    KindInfo &info = kinds[op.getKind()];
    if (!info.first)
      info.first = op;
    int64_t idx = -1;
    if (auto layer = op->getParentOfType<tt::LayerOp>())
      idx = static_cast<int64_t>(layer.getIndex());
    info.layers.push_back(idx);
  });

  static const char *guidanceKeys[] = {"missing", "parallelism", "references",
                                       "tests"};
  std::vector<Object> reports;
  for (auto &[kind, info] : kinds) {
    Object r;
    r["kind"] = kind.str();
    r["model"] = "";
    if (auto f = info.first->getParentOfType<func::FuncOp>())
      r["model"] = f.getSymName().str();

    Array layerIdx;
    for (int64_t i : info.layers)
      layerIdx.push_back(i);
    r["occurrences"] =
        Object{{"count", static_cast<int64_t>(info.layers.size())},
               {"layers", std::move(layerIdx)}};

    Array tensors;
    int64_t params = 0;
    for (mlir::Value w : info.first.getWeights()) {
      auto ty = cast<ShapedType>(w.getType());
      std::string name = "<unnamed>";
      if (auto wop = w.getDefiningOp<tt::WeightOp>())
        name = wop.getName().str();
      Array shape;
      for (int64_t d : ty.getShape())
        shape.push_back(d);
      int64_t n = numElements(ty.getShape());
      params += n;
      tensors.push_back(Object{{"name", name},
                               {"shape", std::move(shape)},
                               {"dtype", typeString(ty.getElementType())},
                               {"parameter_count", n}});
    }
    r["example"] = Object{{"layer", info.layers.front()},
                          {"tensors", std::move(tensors)},
                          {"parameter_count", params}};

    Object attrs;
    for (NamedAttribute a : info.first->getAttrs()) {
      StringRef n = a.getName().getValue();
      if (n == "kind" || n == "operandSegmentSizes" ||
          n == "operand_segment_sizes")
        continue;
      attrs[n] = attrToJSON(a.getValue());
    }
    r["attributes"] = std::move(attrs);

    std::optional<Object> g = readGuidance(gapsDir, kind);
    r["guidance_recorded"] = g.has_value();
    if (g) {
      for (const char *k : {"title", "summary"})
        if (auto *v = g->get(k))
          r[k] = *v;
      for (const char *k : guidanceKeys)
        r[k] = g->get(k) ? *g->get(k) : JValue(Array{});
    } else {
      for (const char *k : guidanceKeys)
        r[k] = Array{};
    }
    reports.push_back(std::move(r));
  }
  return reports;
}

static std::string str(const JValue *v) {
  if (!v)
    return "";
  if (auto s = v->getAsString())
    return s->str();
  std::string out;
  llvm::raw_string_ostream os(out);
  os << *v;
  return out;
}

/// One Markdown bullet for a guidance entry: a string, or an object with
/// name/description style fields.
static std::string bullet(const JValue &v) {
  if (auto s = v.getAsString())
    return "- " + s->str() + "\n";
  const Object *o = v.getAsObject();
  if (!o)
    return "- " + str(&v) + "\n";
  std::string head;
  for (const char *k : {"name", "framework", "title"})
    if (o->get(k)) {
      head = str(o->get(k));
      break;
    }
  std::string out = "- ";
  if (!head.empty())
    out += "**" + head + "**";
  for (const char *k : {"module", "url"})
    if (o->get(k))
      out +=
          (out.size() > 2 ? " " : "") + std::string("`") + str(o->get(k)) + "`";
  if (auto *d = o->get("description"))
    out += (out.size() > 2 ? ": " : "") + str(d);
  return out + "\n";
}

std::string tt::renderGapReportMarkdown(const Object &r) {
  std::string s;
  llvm::raw_string_ostream os(s);
  std::string kind = str(r.get("kind"));
  os << "# Gap report: " << kind << "\n\n";
  if (auto *t = r.get("title"))
    os << "**" << str(t) << "**\n\n";
  if (auto *m = r.get("model"); m && !str(m).empty())
    os << "Model: `" << str(m) << "`\n\n";
  if (auto *sum = r.get("summary"))
    os << str(sum) << "\n\n";

  const Object *occ = r.getObject("occurrences");
  os << "## Occurrences\n\n";
  if (occ) {
    os << "Occurs in " << str(occ->get("count")) << " layer(s): ";
    const Array *ls = occ->getArray("layers");
    for (size_t i = 0; ls && i < ls->size(); ++i)
      os << (i ? ", " : "") << str(&(*ls)[i]);
    os << "\n\n";
  }

  const Object *ex = r.getObject("example");
  os << "## Tensors (one instance";
  if (ex)
    os << ", layer " << str(ex->get("layer"));
  os << ")\n\n";
  if (ex) {
    os << "| name | shape | dtype | parameters |\n|---|---|---|---|\n";
    if (const Array *ts = ex->getArray("tensors"))
      for (const JValue &t : *ts) {
        const Object *o = t.getAsObject();
        std::vector<int64_t> shape;
        if (const Array *sh = o->getArray("shape"))
          for (const JValue &d : *sh)
            shape.push_back(d.getAsInteger().value_or(0));
        os << "| " << str(o->get("name")) << " | " << shapeString(shape)
           << " | " << str(o->get("dtype")) << " | "
           << str(o->get("parameter_count")) << " |\n";
      }
    os << "\nParameters per instance: " << str(ex->get("parameter_count"))
       << "\n\n";
  }

  os << "## Source configuration\n\n";
  const Object *attrs = r.getObject("attributes");
  if (!attrs || attrs->empty()) {
    os << "No attributes are recorded on the op.\n\n";
  } else {
    std::vector<std::string> keys;
    for (auto &kv : *attrs)
      keys.push_back(kv.first.str());
    llvm::sort(keys);
    for (auto &k : keys)
      os << "- `" << k << "` = " << str(attrs->get(k)) << "\n";
    os << "\n";
  }

  bool guided = r.getBoolean("guidance_recorded").value_or(false);
  if (!guided) {
    os << "## Guidance\n\nNo guidance is recorded for `" << kind
       << "`: add data/gaps/" << fileStem(kind)
       << ".json (missing, parallelism, references, tests).\n";
    return s;
  }
  auto section = [&](const char *title, const char *key) {
    os << "## " << title << "\n\n";
    const Array *a = r.getArray(key);
    if (!a || a->empty()) {
      os << "None recorded.\n\n";
      return;
    }
    for (const JValue &v : *a)
      os << bullet(v);
    os << "\n";
  };
  section("Missing in tt", "missing");
  section("Parallelism", "parallelism");
  section("References", "references");
  section("Tests an implementation needs", "tests");
  return s;
}

static LogicalResult writeFile(ModuleOp module, StringRef path,
                               StringRef content) {
  std::string err;
  auto out = openOutputFile(path, &err);
  if (!out)
    return module.emitError() << "cannot write " << path << ": " << err;
  out->os() << content;
  out->keep();
  return success();
}

LogicalResult tt::writeGapReports(ModuleOp module, StringRef outDir,
                                  StringRef gapsDir) {
  if (std::error_code ec = llvm::sys::fs::create_directories(outDir))
    return module.emitError() << "cannot create gap report directory " << outDir
                              << ": " << ec.message();
  for (Object &r : buildGapReports(module, gapsDir)) {
    std::string kind = str(r.get("kind"));
    std::string md = renderGapReportMarkdown(r);
    bool guided = r.getBoolean("guidance_recorded").value_or(false);
    int64_t count = 0;
    if (const Object *occ = r.getObject("occurrences"))
      count = occ->getInteger("count").value_or(0);
    std::string json =
        llvm::formatv("{0:2}", JValue(std::move(r))).str() + "\n";
    llvm::SmallString<256> mdPath(outDir), jsonPath(outDir);
    llvm::sys::path::append(mdPath, fileStem(kind) + ".md");
    llvm::sys::path::append(jsonPath, fileStem(kind) + ".json");
    if (failed(writeFile(module, mdPath, md)) ||
        failed(writeFile(module, jsonPath, json)))
      return failure();
    llvm::errs() << "note: gap report for unsupported layer '" << kind << "' ("
                 << count << " layer(s)"
                 << (guided ? "" : ", no guidance recorded") << "): " << mdPath
                 << ", " << jsonPath << "\n";
  }
  return success();
}

LogicalResult tt::writeTensorCSV(ModuleOp module, StringRef file) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "kind,name,shape,dtype\n";
  llvm::StringSet<> seen;
  module.walk([&](tt::WeightOp w) {
    if (!seen.insert(w.getName()).second)
      return;
    auto ty = cast<ShapedType>(w.getType());
    std::string name = w.getName().str();
    bool quote = name.find_first_of(",\"") != std::string::npos;
    if (quote) {
      std::string q = "\"";
      for (char c : name)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
      name = q + "\"";
    }
    os << "param," << name << ",\"" << shapeString(ty.getShape()) << "\","
       << typeString(ty.getElementType()) << "\n";
  });
  return writeFile(module, file, s);
}
