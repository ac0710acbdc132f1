// MentorCruise (mentorcruise-2023) → mentor items, skill tags matched to concepts by name.
#include <set>
#include <unordered_map>

#include "csv.h"
#include "import_util.h"
#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {

StatusOr<MentorJoin> LoadMentorCruise(const std::string& path, const std::vector<Concept>& concepts,
                                      std::vector<Item>* items) {
  std::unordered_map<std::string, int32_t> concept_of_key;
  for (size_t c = 0; c < concepts.size(); ++c) {
    concept_of_key.emplace(NameKey(concepts[c].name), static_cast<int32_t>(c));
    concept_of_key.emplace(NameKey(concepts[c].id), static_cast<int32_t>(c));
  }
  MentorJoin join;
  std::set<std::string> tags, matched_tags;
  Status bad;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(path, [&] {
    CsvReader<6> in(path);
    in.read_header(io::ignore_extra_column, "mentor_idx", "skills", "country", "rating", "num_reviews", "price_month");
    std::string idx, skills, country, rating, reviews, price;
    while (bad.ok() && in.read_row(idx, skills, country, rating, reviews, price)) {
      const unsigned line = in.get_file_line();
      int64_t id;
      if (!ParseInt64(idx, &id) || id < 0 || id > INT32_MAX) {
        bad = FieldError(path, line, "mentor_idx", "an integer id in [0, 2^31)", idx);
        return;
      }
      ++join.mentors_read;
      Item m;
      m.id = "mentorcruise-" + idx;
      m.kind = ItemKind::kMentor;
      m.title = "MentorCruise mentor #" + idx + (country.empty() ? "" : " (" + country + ")");
      m.languages = {"en"};
      m.capacity = 1;  // unknown in the source: listed mentors are taken as open
      // The source's price is a plan's price per month (the data set's README: "Assumed to be USD
      // per month for the first plan shown — the source does not say"; how many calls a plan
      // holds is not documented). A mentor's price here is per hour (docs/csv-schema.md), so it
      // is unknown: shown as such, never a monthly figure as an hourly one.
      // The field is still checked, as every field the importer reads.
      if (!price.empty()) {
        double p;
        if (!ParseFiniteDouble(price, &p) || p < 0) {
          bad = FieldError(path, line, "price_month", "a finite price >= 0", price);
          return;
        }
        m.currency = "USD";
      }
      if (!rating.empty()) {
        double r;
        if (!ParseFiniteDouble(rating, &r) || r < 1 || r > 5) {
          bad = FieldError(path, line, "rating", "a rating in [1, 5] or empty", rating);
          return;
        }
        m.rating = r;
      }
      std::set<int32_t> seen;
      for (const std::string& tag : SplitList(skills, '|')) {
        const std::string key = NameKey(tag);
        ++join.pairs;
        tags.insert(key);
        auto c = concept_of_key.find(key);
        if (c == concept_of_key.end()) continue;
        ++join.pairs_matched;
        matched_tags.insert(key);
        if (seen.insert(c->second).second) m.expertise.push_back({ConceptIndex(c->second), 1.f});
      }
      if (m.expertise.empty()) continue;
      ++join.mentors_matched;
      items->push_back(std::move(m));
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  join.distinct_tags = static_cast<int32_t>(tags.size());
  join.tags_matched = static_cast<int32_t>(matched_tags.size());
  return join;
}

}  // namespace pathlight::trainer
