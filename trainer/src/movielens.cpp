// MovieLens 100k (ml-100k): explicit ratings with the official u1..u5 folds.
#include <map>
#include <unordered_map>

#include "csv.h"
#include "import_util.h"
#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {
namespace {

// u.item is Latin-1; the catalog (JSON) must be UTF-8.
std::string Latin1ToUtf8(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

struct Rating {
  int64_t user, item;
  float value;
  int64_t ts;
  unsigned line;
};

// user \t item \t rating \t timestamp, ids ≥ 1, rating an integer 1..5.
Status ReadRatings(const std::string& path, std::vector<Rating>* out) {
  Status bad;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(path, [&] {
    TsvReader<4> in(path);
    in.set_header("user_id", "item_id", "rating", "timestamp");
    std::string u, i, r, t;
    while (in.read_row(u, i, r, t)) {
      const unsigned line = in.get_file_line();
      Rating x{0, 0, 0, 0, line};
      int64_t rating;
      if (!ParseInt64(u, &x.user) || x.user < 1 || x.user > INT32_MAX)
        bad = FieldError(path, line, "user_id", "an integer id in [1, 2^31)", u);
      else if (!ParseInt64(i, &x.item) || x.item < 1 || x.item > INT32_MAX)
        bad = FieldError(path, line, "item_id", "an integer id in [1, 2^31)", i);
      else if (!ParseInt64(r, &rating) || rating < 1 || rating > 5)
        bad = FieldError(path, line, "rating", "an integer rating 1..5", r);
      else if (!ParseInt64(t, &x.ts))
        bad = FieldError(path, line, "timestamp", "unix seconds (integer)", t);
      if (!bad.ok()) return;
      x.value = static_cast<float>(rating);
      out->push_back(x);
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  if (out->empty()) return Status(ErrorCode::kParseError, "file \"" + path + "\" holds no ratings");
  return Status::Ok();
}

}  // namespace

StatusOr<Dataset> LoadMovieLens(const std::string& dir, int fold) {
  if (fold < 0 || fold > 5) return Status(ErrorCode::kInvalidArgument, "ml-100k fold must be 0..5");
  Dataset ds;
  ds.name = "movielens";
  ds.explicit_ratings = true;
  ds.min_rating = 1;
  ds.max_rating = 5;

  // u.genre: name|index ; u.item: id|title|release|video release|url|19 genre flags.
  std::vector<Concept> concepts;
  const std::string genre_path = dir + "/u.genre";
  Status bad;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(genre_path, [&] {
    io::LineReader in(genre_path);
    while (char* line = in.next_line()) {
      const std::vector<std::string> f = SplitList(line, '|');
      if (f.empty()) continue;  // u.genre ends with a blank line
      int64_t index;
      if (f.size() != 2 || !ParseInt64(f[1], &index) || index != static_cast<int64_t>(concepts.size())) {
        bad = FieldError(genre_path, in.get_file_line(), "index", "genre|index with indices 0, 1, 2, ... in order", line);
        return;
      }
      concepts.push_back(Concept{"genre-" + NameKey(f[0]), f[0], "", {}});
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  std::vector<Item> items;
  std::unordered_map<int64_t, int32_t> item_of_id;
  const std::string item_path = dir + "/u.item";
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(item_path, [&] {
    io::LineReader in(item_path);
    while (char* line = in.next_line()) {
      const std::vector<std::string> f = [&] {
        std::vector<std::string> v;
        std::string cur;
        for (const char* p = line; *p; ++p) {
          if (*p == '|') {
            v.push_back(cur);
            cur.clear();
          } else if (*p != '\r') {
            cur.push_back(*p);
          }
        }
        v.push_back(cur);
        return v;
      }();
      if (f.size() != 5 + concepts.size()) {
        bad = FieldError(item_path, in.get_file_line(), "(row)",
                         std::to_string(5 + concepts.size()) + " '|'-separated fields", std::to_string(f.size()) + " fields");
        return;
      }
      int64_t id;
      if (!ParseInt64(f[0], &id) || id < 1 || id > INT32_MAX) {
        bad = FieldError(item_path, in.get_file_line(), "movie_id", "an integer id in [1, 2^31)", f[0]);
        return;
      }
      Item item;
      item.id = f[0];
      item.title = Latin1ToUtf8(f[1]);
      item.kind = ItemKind::kCourse;  // movies: only a rating benchmark, never shipped
      for (size_t g = 0; g < concepts.size(); ++g)
        if (f[5 + g] == "1") item.teaches.push_back(ConceptIndex(static_cast<int32_t>(g)));
      if (!item_of_id.emplace(id, static_cast<int32_t>(items.size())).second) {
        bad = FieldError(item_path, in.get_file_line(), "movie_id", "a movie id not listed before", f[0]);
        return;
      }
      items.push_back(std::move(item));
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  PATHLIGHT_ASSIGN_OR_RETURN(ds.catalog, Catalog::Build(std::move(concepts), std::move(items), dir));

  std::vector<Rating> base, test;
  const std::string base_path = fold == 0 ? dir + "/u.data" : dir + "/u" + std::to_string(fold) + ".base";
  PATHLIGHT_RETURN_IF_ERROR(ReadRatings(base_path, &base));
  if (fold > 0) PATHLIGHT_RETURN_IF_ERROR(ReadRatings(dir + "/u" + std::to_string(fold) + ".test", &test));

  std::unordered_map<int64_t, int32_t> user_of_id;
  std::map<std::pair<int32_t, int32_t>, size_t> seen;  // explicit duplicates: the later rating wins
  int64_t duplicates = 0;
  for (const Rating& r : base) {
    auto it = item_of_id.find(r.item);
    if (it == item_of_id.end())
      return Status(ErrorCode::kUnknownId, "file \"" + base_path + "\" line " + std::to_string(r.line) +
                                               " column \"item_id\": movie " + std::to_string(r.item) +
                                               " is not in u.item");
    auto [u, inserted] = user_of_id.emplace(r.user, static_cast<int32_t>(ds.user_ids.size()));
    if (inserted) ds.user_ids.push_back(std::to_string(r.user));
    auto [d, fresh] = seen.emplace(std::make_pair(u->second, it->second), ds.train.size());
    if (!fresh) {
      ++duplicates;
      ds.train[d->second].weight = r.value;
      continue;
    }
    ds.train.push_back({u->second, it->second, r.value, r.ts});
  }
  int64_t skipped = 0;
  for (const Rating& r : test) {
    auto it = item_of_id.find(r.item);
    auto u = user_of_id.find(r.user);
    if (it == item_of_id.end() || u == user_of_id.end()) {
      ++skipped;
      continue;
    }
    ds.test.push_back({u->second, it->second, r.value, r.ts});
  }
  ds.notes.push_back(base_path + ": " + std::to_string(ds.train.size()) + " ratings, " +
                     std::to_string(duplicates) + " repeated (learner, movie) pairs kept their later rating");
  if (fold > 0)
    ds.notes.push_back("test ratings of unknown learners or movies skipped: " + std::to_string(skipped) + " of " +
                       std::to_string(test.size()));
  ds.report = {{"fold", fold}, {"ratings_train", ds.train.size()}, {"ratings_test", ds.test.size()},
               {"duplicates", duplicates}, {"test_skipped", skipped}};
  return ds;
}

}  // namespace pathlight::trainer
