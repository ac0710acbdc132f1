#include "pathlight/trainer/spark.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "pathlight/json_limits.h"

namespace pathlight::trainer {
namespace {

Status LineError(const std::string& file, int64_t line, const std::string& what) {
  return Status(ErrorCode::kParseError, file + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

StatusOr<SparkFactors> ReadSparkItemFactors(const std::string& path, const Catalog& catalog) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::directory_iterator(path, ec)) {
      const std::string name = e.path().filename().string();
      if (e.is_regular_file() && name.rfind("part-", 0) == 0) files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return Status(ErrorCode::kIoError, path + ": a folder without part-* files");
  } else {
    files.push_back(path);
  }
  SparkFactors out;
  std::vector<std::pair<int32_t, std::vector<float>>> rows;
  std::unordered_set<std::string> seen;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status(ErrorCode::kIoError, "cannot open " + file);
    std::string text;
    int64_t line_no = 0;
    while (std::getline(in, text)) {
      ++line_no;
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (text.find_first_not_of(" \t") == std::string::npos) continue;
      ++out.lines;
      // A line nested deeper than any itemFactors row is refused before parsing: dumping such a
      // value into an error message recursed once per level and overflowed the stack.
      if (JsonTextDepth(text) > kMaxJsonDepth)
        return Status(ErrorCode::kLimitExceeded, file + ":" + std::to_string(line_no) + ": JSON nested deeper than " +
                                                     std::to_string(kMaxJsonDepth) + " levels");
      const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded() || !j.is_object())
        return LineError(file, line_no, "expected a JSON object {\"id\": …, \"features\": […]}");
      auto id_it = j.find("id");
      std::string id;
      if (id_it == j.end()) return LineError(file, line_no, "missing \"id\"");
      if (id_it->is_number_integer()) id = id_it->dump();
      else if (id_it->is_string()) id = id_it->get<std::string>();
      else return LineError(file, line_no, "\"id\" must be an integer or a string, got " + id_it->dump());
      auto f = j.find("features");
      if (f == j.end() || !f->is_array() || f->empty())
        return LineError(file, line_no, "expected \"features\": a non-empty array of numbers");
      std::vector<float> v;
      v.reserve(f->size());
      for (const auto& x : *f) {
        if (!x.is_number()) return LineError(file, line_no, "\"features\" holds a non-number: " + std::string(x.type_name()));
        const double d = x.get<double>();
        if (!std::isfinite(d) || std::abs(d) > 3.0e38)
          return LineError(file, line_no, "\"features\" holds a non-finite value (retrain with a larger regParam)");
        v.push_back(static_cast<float>(d));
      }
      if (out.factors == 0) {
        if (v.size() > 1024) return LineError(file, line_no, "rank " + std::to_string(v.size()) + " exceeds 1024");
        out.factors = static_cast<int32_t>(v.size());
      } else if (static_cast<int32_t>(v.size()) != out.factors) {
        return LineError(file, line_no, "expected " + std::to_string(out.factors) + " features like the first line, got " +
                                            std::to_string(v.size()));
      }
      if (!seen.insert(id).second) return LineError(file, line_no, "id " + id + " appears twice");
      auto item = catalog.FindItem(id);
      if (!item) {
        ++out.unmatched;
        if (out.unmatched_examples.size() < 10) out.unmatched_examples.push_back(id);
        continue;
      }
      rows.push_back({item->value(), std::move(v)});
    }
  }
  if (out.lines == 0) return Status(ErrorCode::kParseError, path + ": no factor lines (empty file)");
  if (rows.empty())
    return Status(ErrorCode::kInvalidArgument, path + ": none of the " + std::to_string(out.lines) +
                                                   " ids matches a catalog item id (is --dataset the one Spark trained on?)");
  out.item_factors = RowMatrix::Zero(catalog.num_items(), out.factors);
  for (const auto& [i, v] : rows) out.item_factors.row(i) = Eigen::Map<const Eigen::RowVectorXf>(v.data(), out.factors);
  out.matched = static_cast<int32_t>(rows.size());
  out.missing = catalog.num_items() - out.matched;
  return out;
}

}  // namespace pathlight::trainer
