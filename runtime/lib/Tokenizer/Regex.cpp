//===- Regex.cpp - Backtracking regexes over code points ------------------===//

#include "Regex.h"
#include "Unicode.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <limits>

using namespace tt::rt;
namespace u = tt::rt::unicode;

namespace {

/// One item of a character class; `negated` items match what they do not.
struct ClassItem {
  enum Kind { Range, Categories, Space, Digit, Word } kind;
  bool negated = false;
  uint32_t lo = 0, hi = 0; ///< Range
  uint32_t mask = 0;       ///< Categories
};

struct CharClass {
  std::vector<ClassItem> items;
  bool negated = false;
  bool caseInsensitive = false;
  bool any = false; ///< '.': anything but \n

  bool itemMatches(const ClassItem &item, uint32_t c) const {
    bool m = false;
    switch (item.kind) {
    case ClassItem::Range:
      m = c >= item.lo && c <= item.hi;
      if (!m && caseInsensitive) {
        uint32_t l = u::toLower(c), up = u::toUpper(c);
        m = (l >= item.lo && l <= item.hi) || (up >= item.lo && up <= item.hi);
      }
      break;
    case ClassItem::Categories:
      m = u::inCategories(c, item.mask);
      break;
    case ClassItem::Space:
      m = u::isWhitespace(c);
      break;
    case ClassItem::Digit:
      m = u::category(c) == u::Nd;
      break;
    case ClassItem::Word:
      m = u::isWordChar(c);
      break;
    }
    return m != item.negated;
  }

  /// ASCII answers, precomputed by buildAsciiTable (most text is ASCII).
  uint64_t ascii[2] = {0, 0};

  bool slowMatches(uint32_t c) const {
    if (any)
      return c != '\n';
    bool m = false;
    for (const ClassItem &item : items)
      if (itemMatches(item, c)) {
        m = true;
        break;
      }
    return m != negated;
  }

  void buildAsciiTable() {
    for (uint32_t c = 0; c < 128; ++c)
      if (slowMatches(c))
        ascii[c >> 6] |= uint64_t(1) << (c & 63);
  }

  bool matches(uint32_t c) const {
    if (c < 128)
      return (ascii[c >> 6] >> (c & 63)) & 1;
    return slowMatches(c);
  }
};

enum class Op {
  Class,
  Seq,
  Alt,
  Repeat,
  LookAhead,
  NegLookAhead,
  Bol,
  Eol,
  WordBoundary,
  NotWordBoundary
};

struct Node {
  Op op;
  int cls = -1;
  std::vector<int> kids;
  unsigned min = 0, max = 0;
  enum { Greedy, Lazy, Possessive } mode = Greedy;
};

constexpr unsigned kInfinite = std::numeric_limits<unsigned>::max();

} // namespace

struct Regex::Program {
  std::string pattern;
  std::vector<Node> nodes;
  std::vector<CharClass> classes;
  int root = -1;
};

namespace {

class Parser {
public:
  Parser(llvm::StringRef pattern, Regex::Program &prog)
      : pattern(pattern), prog(prog) {
    u::decodeUTF8(pattern, cps, offsets);
  }

  llvm::Error parse() {
    auto root = parseAlt(false);
    if (!root)
      return root.takeError();
    if (pos != cps.size())
      return fail("unbalanced ')'");
    prog.root = *root;
    return llvm::Error::success();
  }

private:
  llvm::StringRef pattern;
  Regex::Program &prog;
  std::vector<uint32_t> cps;
  std::vector<size_t> offsets;
  size_t pos = 0;

  llvm::Error fail(const llvm::Twine &msg) {
    size_t at = pos < offsets.size() ? offsets[pos] : pattern.size();
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("regex '{0}': {1} at offset {2}", pattern, msg.str(),
                      at));
  }

  bool atEnd() const { return pos >= cps.size(); }
  uint32_t peek(size_t ahead = 0) const {
    return pos + ahead < cps.size() ? cps[pos + ahead] : 0;
  }

  int addNode(Node n) {
    prog.nodes.push_back(std::move(n));
    return int(prog.nodes.size()) - 1;
  }
  int addClass(CharClass c) {
    c.buildAsciiTable();
    prog.classes.push_back(std::move(c));
    Node n{Op::Class};
    n.cls = int(prog.classes.size()) - 1;
    return addNode(n);
  }

  llvm::Expected<int> parseAlt(bool ci) {
    std::vector<int> alts;
    while (true) {
      auto seq = parseSeq(ci);
      if (!seq)
        return seq.takeError();
      alts.push_back(*seq);
      if (!atEnd() && peek() == '|') {
        ++pos;
        continue;
      }
      break;
    }
    if (alts.size() == 1)
      return alts[0];
    Node n{Op::Alt};
    n.kids = std::move(alts);
    return addNode(n);
  }

  llvm::Expected<int> parseSeq(bool ci) {
    Node seq{Op::Seq};
    while (!atEnd() && peek() != '|' && peek() != ')') {
      auto atom = parseAtom(ci);
      if (!atom)
        return atom.takeError();
      auto quantified = parseQuantifier(*atom);
      if (!quantified)
        return quantified.takeError();
      seq.kids.push_back(*quantified);
    }
    if (seq.kids.size() == 1)
      return seq.kids[0];
    return addNode(seq);
  }

  bool parseNumber(unsigned &out) {
    if (atEnd() || peek() < '0' || peek() > '9')
      return false;
    out = 0;
    while (!atEnd() && peek() >= '0' && peek() <= '9')
      out = out * 10 + (cps[pos++] - '0');
    return true;
  }

  llvm::Expected<int> parseQuantifier(int atom) {
    if (atEnd())
      return atom;
    unsigned min, max;
    uint32_t c = peek();
    if (c == '*') {
      min = 0, max = kInfinite, ++pos;
    } else if (c == '+') {
      min = 1, max = kInfinite, ++pos;
    } else if (c == '?') {
      min = 0, max = 1, ++pos;
    } else if (c == '{') {
      size_t save = pos++;
      if (!parseNumber(min)) {
        pos = save; // a literal '{'
        return atom;
      }
      max = min;
      if (peek() == ',') {
        ++pos;
        if (!parseNumber(max))
          max = kInfinite;
      }
      if (peek() != '}')
        return fail("malformed {n,m} quantifier");
      ++pos;
      if (max < min)
        return fail("quantifier {n,m} with m < n");
    } else {
      return atom;
    }
    Node rep{Op::Repeat};
    rep.kids = {atom};
    rep.min = min;
    rep.max = max;
    if (!atEnd() && peek() == '?') {
      rep.mode = Node::Lazy;
      ++pos;
    } else if (!atEnd() && peek() == '+') {
      rep.mode = Node::Possessive;
      ++pos;
    }
    return addNode(rep);
  }

  /// After a backslash: a class escape (\s, \p{L}, ...) as an item.
  /// Returns false if the escape is not a class escape.
  llvm::Expected<bool> parseClassEscape(ClassItem &item) {
    uint32_t c = peek();
    switch (c) {
    case 's':
    case 'S':
      item.kind = ClassItem::Space, item.negated = c == 'S', ++pos;
      return true;
    case 'd':
    case 'D':
      item.kind = ClassItem::Digit, item.negated = c == 'D', ++pos;
      return true;
    case 'w':
    case 'W':
      item.kind = ClassItem::Word, item.negated = c == 'W', ++pos;
      return true;
    case 'p':
    case 'P': {
      ++pos;
      std::string name;
      if (peek() == '{') {
        ++pos;
        while (!atEnd() && peek() != '}')
          name += char(cps[pos++]);
        if (atEnd())
          return fail("unterminated \\p{...}");
        ++pos;
      } else if (!atEnd()) {
        name += char(cps[pos++]);
      }
      uint32_t mask = u::categoryMask(name);
      if (!mask)
        return fail("unsupported Unicode property '" + name + "'");
      item.kind = ClassItem::Categories, item.mask = mask;
      item.negated = c == 'P';
      return true;
    }
    default:
      return false;
    }
  }

  /// After a backslash: a literal escape; returns the code point.
  llvm::Expected<uint32_t> parseLiteralEscape() {
    uint32_t c = cps[pos++];
    auto hex = [&](unsigned digits, bool braced) -> llvm::Expected<uint32_t> {
      uint32_t v = 0;
      unsigned n = 0;
      while (!atEnd() && (braced ? peek() != '}' : n < digits)) {
        uint32_t h = peek();
        int d = h >= '0' && h <= '9'   ? int(h - '0')
                : h >= 'a' && h <= 'f' ? int(h - 'a' + 10)
                : h >= 'A' && h <= 'F' ? int(h - 'A' + 10)
                                       : -1;
        if (d < 0)
          return fail("bad hexadecimal escape");
        v = v * 16 + d, ++n, ++pos;
      }
      if (braced) {
        if (atEnd())
          return fail("unterminated \\x{...}");
        ++pos;
      } else if (n != digits) {
        return fail("bad hexadecimal escape");
      }
      return v;
    };
    switch (c) {
    case 'n':
      return uint32_t('\n');
    case 'r':
      return uint32_t('\r');
    case 't':
      return uint32_t('\t');
    case 'f':
      return uint32_t('\f');
    case 'v':
      return uint32_t('\v');
    case '0':
      return uint32_t(0);
    case 'x':
      if (peek() == '{') {
        ++pos;
        return hex(0, true);
      }
      return hex(2, false);
    case 'u':
      return hex(4, false);
    default:
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9'))
        return fail("unsupported escape \\" + std::string(1, char(c)));
      return c;
    }
  }

  llvm::Expected<int> parseAtom(bool ci) {
    uint32_t c = cps[pos];
    if (c == '(') {
      ++pos;
      Op op = Op::Seq;
      bool groupCi = ci;
      if (peek() == '?') {
        uint32_t k = peek(1);
        if (k == ':') {
          pos += 2;
        } else if (k == '=') {
          op = Op::LookAhead, pos += 2;
        } else if (k == '!') {
          op = Op::NegLookAhead, pos += 2;
        } else if (k == 'i' && peek(2) == ':') {
          groupCi = true, pos += 3;
        } else {
          return fail("unsupported group construct");
        }
      }
      auto inner = parseAlt(groupCi);
      if (!inner)
        return inner.takeError();
      if (atEnd() || peek() != ')')
        return fail("missing ')'");
      ++pos;
      if (op == Op::Seq)
        return *inner;
      Node n{op};
      n.kids = {*inner};
      return addNode(n);
    }
    if (c == ')' || c == '*' || c == '+' || c == '?')
      return fail("unexpected '" + std::string(1, char(c)) + "'");
    if (c == '[')
      return parseClass(ci);
    if (c == '.') {
      ++pos;
      CharClass cls;
      cls.any = true;
      return addClass(cls);
    }
    if (c == '^' || c == '$') {
      ++pos;
      return addNode(Node{c == '^' ? Op::Bol : Op::Eol});
    }
    CharClass cls;
    cls.caseInsensitive = ci;
    if (c == '\\') {
      ++pos;
      if (atEnd())
        return fail("trailing backslash");
      if (peek() == 'b' || peek() == 'B') {
        Op op = peek() == 'b' ? Op::WordBoundary : Op::NotWordBoundary;
        ++pos;
        return addNode(Node{op});
      }
      ClassItem item{ClassItem::Range};
      auto isClass = parseClassEscape(item);
      if (!isClass)
        return isClass.takeError();
      if (*isClass) {
        cls.items.push_back(item);
        return addClass(cls);
      }
      auto lit = parseLiteralEscape();
      if (!lit)
        return lit.takeError();
      c = *lit;
    } else {
      ++pos;
    }
    ClassItem item{ClassItem::Range};
    item.lo = item.hi = c;
    cls.items.push_back(item);
    return addClass(cls);
  }

  llvm::Expected<int> parseClass(bool ci) {
    ++pos; // '['
    CharClass cls;
    cls.caseInsensitive = ci;
    if (peek() == '^') {
      cls.negated = true;
      ++pos;
    }
    bool first = true;
    while (true) {
      if (atEnd())
        return fail("missing ']'");
      uint32_t c = cps[pos];
      if (c == ']' && !first) {
        ++pos;
        break;
      }
      first = false;
      uint32_t lo;
      if (c == '\\') {
        ++pos;
        if (atEnd())
          return fail("trailing backslash");
        ClassItem item{ClassItem::Range};
        auto isClass = parseClassEscape(item);
        if (!isClass)
          return isClass.takeError();
        if (*isClass) {
          cls.items.push_back(item);
          continue;
        }
        if (peek() == 'b') { // backspace inside a class
          ++pos;
          lo = 8;
        } else {
          auto lit = parseLiteralEscape();
          if (!lit)
            return lit.takeError();
          lo = *lit;
        }
      } else {
        lo = c;
        ++pos;
      }
      uint32_t hi = lo;
      if (peek() == '-' && pos + 1 < cps.size() && cps[pos + 1] != ']') {
        ++pos;
        uint32_t h = cps[pos];
        if (h == '\\') {
          ++pos;
          if (atEnd())
            return fail("trailing backslash");
          auto lit = parseLiteralEscape();
          if (!lit)
            return lit.takeError();
          hi = *lit;
        } else {
          hi = h;
          ++pos;
        }
        if (hi < lo)
          return fail("class range out of order");
      }
      ClassItem item{ClassItem::Range};
      item.lo = lo, item.hi = hi;
      cls.items.push_back(item);
    }
    return addClass(cls);
  }
};

/// Backtracking matcher in continuation-passing style: match(node, pos, k)
/// is true when `node` matches at `pos` and the continuation accepts the
/// position after it.
class Matcher {
public:
  using Cont = llvm::function_ref<bool(size_t)>;

  Matcher(const Regex::Program &prog, llvm::ArrayRef<uint32_t> s, size_t begin,
          size_t end)
      : prog(prog), s(s), begin(begin), end(end) {}

  /// Backtracking recurses once per step of a repeated group; past this
  /// depth the attempt fails instead of exhausting the stack.
  static constexpr unsigned kMaxDepth = 4000;

  bool match(int id, size_t pos, Cont k) const {
    if (depth >= kMaxDepth)
      return false;
    ++depth;
    bool result = matchNode(id, pos, k);
    --depth;
    return result;
  }

private:
  bool matchNode(int id, size_t pos, Cont k) const {
    const Node &n = prog.nodes[id];
    switch (n.op) {
    case Op::Class:
      return pos < end && prog.classes[n.cls].matches(s[pos]) && k(pos + 1);
    case Op::Seq:
      return matchSeq(n, 0, pos, k);
    case Op::Alt:
      for (int kid : n.kids)
        if (match(kid, pos, k))
          return true;
      return false;
    case Op::Repeat:
      return matchRepeat(n, pos, k);
    case Op::LookAhead:
      return match(n.kids[0], pos, [](size_t) { return true; }) && k(pos);
    case Op::NegLookAhead:
      return !match(n.kids[0], pos, [](size_t) { return true; }) && k(pos);
    case Op::Bol:
      return pos == begin && k(pos);
    case Op::Eol:
      return pos == end && k(pos);
    case Op::WordBoundary:
    case Op::NotWordBoundary: {
      bool before = pos > begin && unicode::isWordChar(s[pos - 1]);
      bool after = pos < end && unicode::isWordChar(s[pos]);
      return ((before != after) == (n.op == Op::WordBoundary)) && k(pos);
    }
    }
    return false;
  }

  const Regex::Program &prog;
  llvm::ArrayRef<uint32_t> s;
  size_t begin, end;
  mutable unsigned depth = 0;

  bool matchSeq(const Node &n, size_t i, size_t pos, Cont k) const {
    if (i == n.kids.size())
      return k(pos);
    return match(n.kids[i], pos,
                 [&](size_t p) { return matchSeq(n, i + 1, p, k); });
  }

  bool matchRepeat(const Node &n, size_t pos, Cont k) const {
    const Node &kid = prog.nodes[n.kids[0]];
    if (kid.op == Op::Class) {
      // A single-character item: count the run once, then try lengths
      // without recursion.
      const CharClass &cls = prog.classes[kid.cls];
      size_t run = 0;
      while (run < n.max && pos + run < end && cls.matches(s[pos + run]))
        ++run;
      if (run < n.min)
        return false;
      switch (n.mode) {
      case Node::Greedy:
        for (size_t i = run + 1; i-- > n.min;)
          if (k(pos + i))
            return true;
        return false;
      case Node::Lazy:
        for (size_t i = n.min; i <= run; ++i)
          if (k(pos + i))
            return true;
        return false;
      case Node::Possessive:
        return k(pos + run);
      }
    }
    if (n.mode == Node::Possessive) {
      // Atomic: take the greedy match of the repetition alone, then commit.
      size_t endPos = pos;
      if (!repeatGeneral(n, 0, pos, Node::Greedy, [&](size_t p) {
            endPos = p;
            return true;
          }))
        return false;
      return k(endPos);
    }
    return repeatGeneral(n, 0, pos, n.mode, k);
  }

  bool repeatGeneral(const Node &n, unsigned count, size_t pos, int mode,
                     Cont k) const {
    auto more = [&]() {
      if (count >= n.max)
        return false;
      return match(n.kids[0], pos, [&](size_t p) {
        // An empty iteration past the minimum cannot make progress.
        if (p == pos && count >= n.min)
          return false;
        return repeatGeneral(n, count + 1, p, mode, k);
      });
    };
    if (mode == Node::Lazy) {
      if (count >= n.min && k(pos))
        return true;
      return more();
    }
    if (more())
      return true;
    return count >= n.min && k(pos);
  }
};

} // namespace

Regex::Regex(std::unique_ptr<Program> program) : program(std::move(program)) {}
Regex::Regex(Regex &&) = default;
Regex &Regex::operator=(Regex &&) = default;
Regex::~Regex() = default;

llvm::Expected<Regex> Regex::compile(llvm::StringRef pattern) {
  auto prog = std::make_unique<Program>();
  prog->pattern = pattern.str();
  Parser parser(pattern, *prog);
  if (llvm::Error err = parser.parse())
    return std::move(err);
  return Regex(std::move(prog));
}

const std::string &Regex::pattern() const { return program->pattern; }

bool Regex::matchAt(llvm::ArrayRef<uint32_t> subject, size_t begin, size_t end,
                    size_t pos, size_t &matchEnd) const {
  Matcher m(*program, subject, begin, end);
  return m.match(program->root, pos, [&](size_t e) {
    matchEnd = e;
    return true;
  });
}

void Regex::split(llvm::ArrayRef<uint32_t> subject, size_t begin, size_t end,
                  std::vector<std::pair<size_t, size_t>> &out) const {
  Matcher m(*program, subject, begin, end);
  size_t gapStart = begin;
  size_t pos = begin;
  while (pos < end) {
    size_t matchEnd = pos;
    bool found = m.match(program->root, pos, [&](size_t e) {
      matchEnd = e;
      return true;
    });
    if (!found || matchEnd == pos) {
      ++pos;
      continue;
    }
    if (pos > gapStart)
      out.emplace_back(gapStart, pos);
    out.emplace_back(pos, matchEnd);
    pos = gapStart = matchEnd;
  }
  if (gapStart < end)
    out.emplace_back(gapStart, end);
}
