// Cardano Stack Exchange (derived CSVs): answerers' tag expertise → mentors, askers' tags → learners.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "csv.h"
#include "import_util.h"
#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {

StatusOr<Dataset> LoadStackExchange(const std::string& dir) {
  Dataset ds;
  ds.name = "stackexchange";
  struct Evidence {
    int64_t user;
    std::string tag;
    double score;
  };
  std::vector<Evidence> evidence;
  Status bad;
  const std::string answers = dir + "/answerer_tag_stats.csv";
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(answers, [&] {
    CsvReader<5> in(answers);
    in.read_header(io::ignore_no_column, "user_id", "tag", "n_answers", "sum_answer_score", "n_accepted");
    std::string uid, tag, n, score, accepted;
    while (in.read_row(uid, tag, n, score, accepted)) {
      const unsigned line = in.get_file_line();
      int64_t u, na, s, acc;
      if (!ParseInt64(uid, &u) || u < -1 || u > INT32_MAX)
        bad = FieldError(answers, line, "user_id", "an integer id within 32 bits", uid);
      else if (tag.empty())
        bad = FieldError(answers, line, "tag", "a tag name", tag);
      else if (!ParseInt64(n, &na) || na < 1)
        bad = FieldError(answers, line, "n_answers", "an integer >= 1", n);
      else if (!ParseInt64(score, &s))
        bad = FieldError(answers, line, "sum_answer_score", "an integer", score);
      else if (!ParseInt64(accepted, &acc) || acc < 0 || acc > na)
        bad = FieldError(answers, line, "n_accepted", "an integer in [0, n_answers]", accepted);
      if (!bad.ok()) return;
      // Evidence of expertise: answers, accepted answers twice more, and positive votes.
      evidence.push_back({u, tag, static_cast<double>(na + 2 * acc + std::max<int64_t>(0, s))});
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  if (evidence.empty()) return Status(ErrorCode::kParseError, "file \"" + answers + "\" holds no answerer rows");

  struct Asked {
    int64_t user;
    std::string tag;
    int64_t n;
  };
  std::vector<Asked> asked;
  const std::string questions = dir + "/asker_tag_counts.csv";
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(questions, [&] {
    CsvReader<3> in(questions);
    in.read_header(io::ignore_no_column, "user_id", "tag", "n_questions");
    std::string uid, tag, n;
    while (in.read_row(uid, tag, n)) {
      const unsigned line = in.get_file_line();
      int64_t u, nq;
      if (!ParseInt64(uid, &u) || u < -1 || u > INT32_MAX)
        bad = FieldError(questions, line, "user_id", "an integer id within 32 bits", uid);
      else if (tag.empty())
        bad = FieldError(questions, line, "tag", "a tag name", tag);
      else if (!ParseInt64(n, &nq) || nq < 1)
        bad = FieldError(questions, line, "n_questions", "an integer >= 1", n);
      if (!bad.ok()) return;
      asked.push_back({u, tag, nq});
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);

  // Concepts = tags of either table, sorted by name.
  std::map<std::string, int32_t> concept_of;
  for (const auto& e : evidence) concept_of.emplace(e.tag, 0);
  for (const auto& a : asked) concept_of.emplace(a.tag, 0);
  std::vector<Concept> concepts;
  for (auto& [tag, index] : concept_of) {
    index = static_cast<int32_t>(concepts.size());
    concepts.push_back(Concept{tag, tag, "", {}});
  }
  std::map<std::string, double> best;  // per tag, the strongest answerer's evidence
  for (const auto& e : evidence) best[e.tag] = std::max(best[e.tag], e.score);
  std::vector<Item> items;
  std::unordered_map<int64_t, int32_t> mentor_of;
  for (const auto& e : evidence) {
    auto [it, inserted] = mentor_of.emplace(e.user, static_cast<int32_t>(items.size()));
    if (inserted) {
      Item m;
      m.id = "cardano-se-" + std::to_string(e.user);
      m.kind = ItemKind::kMentor;
      m.title = "Cardano Stack Exchange answerer #" + std::to_string(e.user);
      m.languages = {"en"};
      m.capacity = 1;
      items.push_back(std::move(m));
    }
    items[it->second].expertise.push_back(
        {ConceptIndex(concept_of[e.tag]), static_cast<float>(e.score / best[e.tag])});
  }
  const int32_t n_mentors = static_cast<int32_t>(items.size());
  PATHLIGHT_ASSIGN_OR_RETURN(ds.catalog, Catalog::Build(std::move(concepts), std::move(items), dir));

  std::unordered_map<int64_t, int32_t> learner_of;
  for (const auto& a : asked) {
    auto [it, inserted] = learner_of.emplace(a.user, static_cast<int32_t>(ds.user_ids.size()));
    if (inserted) {
      ds.user_ids.push_back(std::to_string(a.user));
      ds.learner_concepts.emplace_back();
    }
    ds.learner_concepts[it->second].push_back({ConceptIndex(concept_of[a.tag]), static_cast<float>(a.n)});
  }
  ds.notes.push_back("stackexchange: " + std::to_string(ds.catalog.num_concepts()) + " tags as concepts, " +
                     std::to_string(n_mentors) + " answerers as mentors (" + std::to_string(evidence.size()) +
                     " answerer-tag expertise pairs), " + std::to_string(ds.num_users()) + " askers as learners (" +
                     std::to_string(asked.size()) + " asker-tag pairs); no learner-mentor interactions");
  ds.report = {{"tags", ds.catalog.num_concepts()}, {"mentors", n_mentors}, {"expertise_pairs", evidence.size()},
               {"learners", ds.num_users()}, {"learner_tag_pairs", asked.size()}};
  return ds;
}

}  // namespace pathlight::trainer
