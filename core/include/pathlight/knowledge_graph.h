// The knowledge graph as the engine reads it on every request: per item the concepts it teaches
// and requires, per concept the items teaching and requiring it, the concepts each concept is a
// prerequisite of, and the depth of every concept (the longest prerequisite chain below it).
// Built once per bundle from the Catalog (which owns the graph and checks that it is a DAG), in
// flat arrays: a pass over 100,000 items reads contiguous memory instead of one small vector each.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pathlight/catalog.h"

namespace pathlight {

/// The primary language subtag of BCP-47 tag `tag`, ASCII-lowercased (RFC 5646 §2.2.1: the part
/// before the first "-"): "zh-CN" → "zh", "EN" → "en", "" → "". Content languages are matched on
/// it (a lookup in the spirit of RFC 4647 §3.4 truncated to the primary subtag): a filter for
/// "zh-CN" keeps items tagged "zh", "zh-CN" or "zh-Hant"; region and script are not told apart.
std::string PrimaryLanguage(std::string_view tag);

/// n lists of int32 values in two flat arrays: list j is values[begin[j] .. begin[j + 1]).
struct IndexLists {
  std::vector<int32_t> begin;   // n + 1
  std::vector<int32_t> values;
  const int32_t* first(int32_t j) const { return values.data() + begin[j]; }
  const int32_t* last(int32_t j) const { return values.data() + begin[j + 1]; }
  int32_t size(int32_t j) const { return begin[j + 1] - begin[j]; }
  /// value v → the lists holding it, ascending (n_values lists).
  IndexLists Inverse(int32_t n_values) const;
};

class KnowledgeGraph {
 public:
  explicit KnowledgeGraph(const Catalog& catalog);

  const IndexLists& teaches() const { return teaches_; }        // item → concepts (Item::teaches order)
  const IndexLists& requires() const { return requires_; }      // item → concepts (Item::requires_concepts)
  const IndexLists& taught_by() const { return taught_by_; }    // concept → items, ascending
  const IndexLists& required_by() const { return required_by_; }  // concept → items, ascending
  const IndexLists& dependants() const { return dependants_; }  // concept → concepts it is a direct prerequisite of
  const IndexLists& expertise() const { return expertise_; }    // item → concepts of expertise > 0 (mentors only)
  const IndexLists& experts() const { return experts_; }        // concept → mentors with expertise > 0 in it, ascending
  /// Kind and level of every item, by item index: one byte each, for passes over the whole
  /// catalog that would otherwise read each 128-byte Item.
  const std::vector<ItemKind>& item_kinds() const { return kinds_; }
  const std::vector<Level>& item_levels() const { return levels_; }
  const std::vector<int32_t>& mentors() const { return mentors_; }  // indices of the mentor items, ascending
  /// A mentor's offerings (MentorOfferings: its listed ones, else one-to-one at its price), in
  /// catalog order; empty for other items.
  const Offering* offerings_begin(ItemIndex i) const { return offerings_.data() + offerings_at_[i.value()]; }
  const Offering* offerings_end(ItemIndex i) const { return offerings_.data() + offerings_at_[i.value() + 1]; }
  /// Whether each item has capacity (> 0 seats; for a mentor: an offering with an open seat).
  const std::vector<uint8_t>& item_has_capacity() const { return has_capacity_; }
  /// BCP-47 language `language` as an id for Speaks(), by its primary subtag (PrimaryLanguage):
  /// kAnyLanguage for "", kNoLanguage when no item has it.
  static constexpr int32_t kAnyLanguage = -2, kNoLanguage = -1;
  int32_t LanguageId(const std::string& language) const;
  /// Whether item `i` is in, or (mentors) speaks, language id `language` (Item::language or any
  /// of Item::languages); always for kAnyLanguage.
  bool Speaks(ItemIndex i, int32_t language) const;
  /// The language a card for item `i` marks on a page in language id `page` (LanguageId): "" when
  /// `page` is kAnyLanguage or the item is in (a mentor: speaks) the page's language; otherwise
  /// the item's own tag as the catalog has it (a mentor's first of Item::languages).
  const std::string& OtherLanguage(ItemIndex i, int32_t page) const;
  /// Longest prerequisite chain below `c` (0 for a concept without prerequisites).
  int depth(ConceptIndex c) const { return depth_[c.value()]; }

  /// Flags (length n_concepts) of the prerequisite closure of `targets`: every concept that must
  /// be known before them, transitively. With `include_targets` the targets are flagged too.
  /// O(size of the closure's edges).
  std::vector<uint8_t> ClosureFlags(const std::vector<ConceptIndex>& targets, bool include_targets) const;

 private:
  const Catalog& catalog_;
  IndexLists teaches_, requires_, taught_by_, required_by_, dependants_, expertise_, experts_, languages_;
  std::unordered_map<std::string, int32_t> language_ids_;
  std::vector<int32_t> mentors_;
  std::vector<uint8_t> has_capacity_;
  std::vector<Offering> offerings_;
  std::vector<int32_t> offerings_at_;  // n + 1: item i's offerings are offerings_[at[i] .. at[i + 1])
  std::vector<ItemKind> kinds_;
  std::vector<Level> levels_;
  std::vector<int> depth_;
};

}  // namespace pathlight
