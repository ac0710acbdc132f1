#include "pathlight/api.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <sstream>

#include "pathlight/api_params.h"
#include "pathlight/json_limits.h"

namespace pathlight {
namespace {

using nlohmann::json;

Status Invalid(const std::string& what) { return Status(ErrorCode::kInvalidArgument, what); }

// Readers of parameters CheckParams has already checked (type and range): absent or null leaves
// `out` as it is.
template <class T>
void Read(const json& p, const char* key, T* out) {
  auto it = p.find(key);
  if (it != p.end() && !it->is_null()) *out = it->get<T>();
}

StatusOr<std::vector<ConceptIndex>> Concepts(const json& p, const char* key, const Catalog& cat) {
  std::vector<std::string> ids;
  Read(p, key, &ids);
  std::vector<ConceptIndex> out;
  for (const std::string& id : ids) {
    auto c = cat.FindConcept(id);
    if (!c) return Status(ErrorCode::kUnknownId, "concept " + QuoteForMessage(id) + " is not in this bundle's knowledge graph");
    if (std::find(out.begin(), out.end(), *c) == out.end()) out.push_back(*c);  // a repeat counts once
  }
  return out;
}

StatusOr<ItemIndex> ItemParam(const json& p, const Catalog& cat) {
  std::string id;
  Read(p, "id", &id);
  auto i = cat.FindItem(id);
  if (!i) return Status(ErrorCode::kUnknownId, "item " + QuoteForMessage(id) + " is not in this bundle's catalog");
  return *i;
}

// Item filters (kinds, maxPrice, levels, languages).
void ReadFilters(const json& p, RankOptions* o) {
  std::vector<std::string> kinds, levels;
  Read(p, "kinds", &kinds);
  Read(p, "levels", &levels);
  for (const std::string& k : kinds) o->kinds.push_back(*ParseItemKind(k));
  for (const std::string& l : levels) o->levels.push_back(*ParseLevel(l));
  Read(p, "maxPrice", &o->max_price);
  Read(p, "languages", &o->languages);
}

void ReadRankOptions(const json& p, const Catalog& cat, RankOptions* o) {
  Read(p, "k", &o->k);
  Read(p, "excludeConsumed", &o->exclude_consumed);
  Read(p, "excludeDismissed", &o->exclude_dismissed);
  Read(p, "hideKnown", &o->hide_known);
  Read(p, "matchMentors", &o->match_mentors);
  ReadFilters(p, o);
  Read(p, "minReadiness", &o->min_readiness);
  const std::vector<RankingTerm>& terms = RankingTerms();
  o->term_weights.resize(terms.size(), 0.f);
  for (size_t t = 0; t < terms.size(); ++t) Read(p, terms[t].option, &o->term_weights[t]);
  Read(p, "mmrLambda", &o->mmr_lambda);
  Read(p, "maxMentors", &o->max_mentors);
  Read(p, "maxMemberships", &o->max_memberships);
  Read(p, "candidatePool", &o->candidate_pool);
  o->candidate_pool = std::min(o->candidate_pool, std::max(1, cat.num_items()));
}

// Product defaults for the learner app and widget (docs/HYPERPARAMETERS.md, "Ranking").
RankOptions ProductDefaults(const Profile& p) {
  RankOptions o;
  for (const RankingTerm& t : RankingTerms()) o.term_weights.push_back(t.product_weight);
  o.mmr_lambda = 0.8f;
  o.max_mentors = 1;
  o.max_memberships = 1;
  o.hide_known = true;
  o.match_mentors = true;
  if (p.budget >= 0) o.max_price = p.budget;
  if (!p.language.empty()) o.languages = {p.language};  // mentors pass when they speak it
  return o;
}

// Item filters from the learner's settings (path): budget and language.
RankOptions SettingsFilters(const Profile& p) {
  RankOptions o;
  if (p.budget >= 0) o.max_price = p.budget;
  if (!p.language.empty()) o.languages = {p.language};
  return o;
}

json Ids(const std::vector<ConceptIndex>& cs, const Catalog& cat) {
  json out = json::array();
  for (ConceptIndex c : cs) out.push_back(cat.concept_at(c).id);
  return out;
}
json Ids(const std::vector<ItemIndex>& is, const Catalog& cat) {
  json out = json::array();
  for (ItemIndex i : is) out.push_back(cat.item(i).id);
  return out;
}

json ReasonJson(const Reason& r, const Catalog& cat) {
  json j = {{"kind", ReasonKindName(r)}};
  if (r.concept.value() >= 0) j["concept"] = cat.concept_at(r.concept).id;
  if (r.goal.value() >= 0) j["goal"] = cat.concept_at(r.goal).id;
  if (!r.concepts.empty()) j["concepts"] = Ids(r.concepts, cat);
  if (r.item.value() >= 0) j["item"] = cat.item(r.item).id;
  if (r.via != ItemRelation::kNone) j["via"] = ItemRelationName(r.via);
  if (r.value > 0) j["rating"] = r.value;
  if (r.kind == Reason::Kind::kCoversGap) j["of"] = r.of;
  if (r.level != Level::kAll) j["level"] = LevelName(r.level);
  if (!r.language.empty()) j["language"] = r.language;
  if (!r.items.empty()) j["items"] = Ids(r.items, cat);
  return j;
}

json ReasonsJson(const std::vector<Reason>& reasons, const Catalog& cat) {
  json out = json::array();
  for (const Reason& r : reasons) out.push_back(ReasonJson(r, cat));
  return out;
}

json ContributionsJson(const std::vector<Contribution>& cs, const Catalog& cat) {
  json out = json::array();
  for (const Contribution& c : cs) {
    if (c.concept.value() >= 0) out.push_back({{"concept", cat.concept_at(c.concept).id}, {"value", c.value}, {"goal", c.goal}});
    else out.push_back({{"id", cat.item(c.item).id}, {"value", c.value}});
  }
  return out;
}

// One offering as the learner sees it: its price per seat is what they pay (null: unknown).
json OfferingJson(const Offering& o, const std::string& currency) {
  return {{"format", OfferingFormatName(o.format)}, {"seats", o.seats}, {"openSeats", o.open_seats},
          {"pricePerSeat", o.price_known ? json(o.price_per_seat) : json(nullptr)}, {"currency", currency}};
}

// What a mentor costs the learner is an offering, not a per-item price: the one they would book —
// FitOfferings' one rule, as mentors() books it: the cheapest open offering within `budget` (< 0:
// none; a group seat may be within it when one-to-one is not); null when none is.
json MentorBookingJson(const Recommender& rec, ItemIndex mentor, double budget) {
  const Offering* begin = rec.graph().offerings_begin(mentor);
  const OfferingsFit fit = FitOfferings(begin, rec.graph().offerings_end(mentor), std::nullopt, budget,
                                        /*require_capacity=*/true, /*require_budget=*/true);
  return fit.booking >= 0 ? OfferingJson(begin[fit.booking], rec.catalog().item(mentor).currency) : json(nullptr);
}

json MentorJson(const MentorMatch& m, const Recommender& rec) {
  const Catalog& cat = rec.catalog();
  const std::string& currency = cat.item(m.mentor).currency;
  const Offering* offerings = rec.graph().offerings_begin(m.mentor);
  json out_offerings = json::array();
  for (const OfferingMatch& o : m.offerings) {
    json j = OfferingJson(offerings[o.index], currency);
    j["status"] = OfferingStatusName(o.status);
    j["booked"] = o.index == m.booking;
    out_offerings.push_back(std::move(j));
  }
  return {{"id", cat.item(m.mentor).id}, {"score", m.score}, {"coverage", m.coverage}, {"personal", m.personal},
          {"covers", Ids(m.covers, cat)}, {"withinBudget", m.within_budget}, {"hasCapacity", m.has_capacity},
          {"speaksLanguage", m.speaks_language}, {"offerings", out_offerings},
          {"booking", m.booking >= 0 ? OfferingJson(offerings[m.booking], currency) : json(nullptr)},
          {"reasons", ReasonsJson(m.reasons, cat)}};
}

// The `pageLanguage` parameter as a language id (KnowledgeGraph::LanguageId; any when absent).
int32_t PageLanguageId(const json& p, const Recommender& rec) {
  std::string page;
  Read(p, "pageLanguage", &page);
  return rec.graph().LanguageId(page);
}

// `otherLanguage`: the language item `i`'s card marks on a page in language id `page`, when any.
void MarkOtherLanguage(const KnowledgeGraph& graph, ItemIndex i, int32_t page, json* j) {
  const std::string& other = graph.OtherLanguage(i, page);
  if (!other.empty()) (*j)["otherLanguage"] = other;
}

json DiagnosticsJson(const MentorDiagnostics& d) {
  return {{"mentors", d.mentors}, {"experts", d.experts}, {"budget", d.budget}, {"language", d.language},
          {"capacity", d.capacity}, {"dismissed", d.dismissed}, {"format", d.format}};
}

json GoalsJson(const std::vector<ConceptIndex>& goals, const LearnerState& s, const Catalog& cat) {
  json out = json::array();
  for (ConceptIndex g : goals) out.push_back({{"id", cat.concept_at(g).id}, {"reached", s.known_concepts()[g.value()] != 0}});
  return out;
}

json TotalsJson(const PathTotals& t) {
  auto sums = [](const std::vector<std::pair<std::string, double>>& s) {
    json out = json::array();
    for (const auto& [currency, amount] : s) out.push_back({{"currency", currency}, {"amount", amount}});
    return out;
  };
  const int one_off = t.items - t.memberships;
  return {{"items", t.items}, {"price", sums(t.price)}, {"unpricedItems", t.unpriced_items},
          {"hours", t.untimed_items == one_off ? json(nullptr) : json(t.hours)}, {"untimedItems", t.untimed_items},
          {"monthly", sums(t.monthly)}, {"memberships", t.memberships}, {"uncoveredSteps", t.uncovered_steps},
          {"weeks", t.weeks ? json(*t.weeks) : json(nullptr)}, {"weeksUnknown", t.weeks_unknown},
          {"mentorBooking", t.mentor_booking ? OfferingJson(*t.mentor_booking, t.mentor_currency) : json(nullptr)},
          {"priceWithMentor", sums(t.price_with_mentor)}};
}

// What each kind's `price` is quoted per (PriceUnitOf), by kind name: what a view prints beside a
// price ("/ hour", "/ month"), from the rule the budgets and totals use.
json PriceUnitsJson() {
  json units = json::object();
  for (ItemKind k : {ItemKind::kCourse, ItemKind::kEbook, ItemKind::kConsultation, ItemKind::kMembership, ItemKind::kMentor})
    units[ItemKindName(k)] = PriceUnitName(PriceUnitOf(k));
  return units;
}

}  // namespace

Status Session::Load(std::string_view manifest_text, const BundleParts& parts) {
  StatusOr<Bundle> b = DecodeBundle(manifest_text, parts);
  if (!b.ok()) return b.status();
  Install(std::move(b).value());
  return Status::Ok();
}

void Session::Install(Bundle bundle) {
  auto rec = std::make_unique<Recommender>(std::move(bundle));
  learner_ = std::make_unique<LearnerState>(rec->Learner(profile_, now_));
  rec_ = std::move(rec);
}

std::string Session::CallJson(const std::string& request_json) {
  // Bounded depth: params are copied and dumped below, which recurses once per nesting level.
  StatusOr<json> parsed = ParseBoundedJson(request_json, "request");
  if (!parsed.ok() && parsed.status().code() == ErrorCode::kLimitExceeded)
    return json{{"error", {{"code", "limit_exceeded"}, {"message", parsed.status().message()}}}}.dump();
  if (!parsed.ok())
    return json{{"error", {{"code", "parse_error"}, {"message", parsed.status().message()}}}}.dump();
  const json req = std::move(parsed).value();
  auto bad_request = [] {
    return json{{"error", {{"code", "invalid_argument"}, {"message", "request must be {\"method\": string, \"params\": object}"}}}}.dump();
  };
  if (!req.is_object() || !req.contains("method") || !req["method"].is_string()) return bad_request();
  for (auto it = req.begin(); it != req.end(); ++it)
    if (it.key() != "method" && it.key() != "params") return bad_request();
  return Call(req["method"].get<std::string>(), req.value("params", json::object())).dump();
}

json Session::Call(const std::string& method, const json& params) {
  const double now_before = now_;  // a failed request changes nothing, its clock included
  try {
    StatusOr<json> r = Dispatch(method, params.is_null() ? json::object() : params);
    if (r.ok()) return {{"result", std::move(r).value()}};
    now_ = now_before;
    return {{"error", {{"code", ErrorCodeName(r.status().code())}, {"message", r.status().message()}}}};
  } catch (const std::exception& e) {  // defensive: the core reports errors as values
    now_ = now_before;
    return {{"error", {{"code", "invalid_argument"}, {"message", std::string("request failed: ") + e.what()}}}};
  }
}

StatusOr<json> Session::SetProfile(const json& p) {
  const Recommender& rec = *rec_;
  bool lenient = false;
  Read(p, "lenient", &lenient);
  const json& doc_in = p["profile"];
  json doc;
  if (doc_in.is_string()) {
    const std::string& text = doc_in.get_ref<const std::string&>();
    if (text.size() > ProfileLimits().max_json_bytes)
      return Status(ErrorCode::kLimitExceeded, "profile: " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                                   std::to_string(ProfileLimits().max_json_bytes));
    PATHLIGHT_ASSIGN_OR_RETURN(doc, ParseBoundedJson(text, "profile"));
  } else {
    doc = doc_in;
  }
  json rejected = json::array();
  const RatingScale scale = rec.model().rating_scale();
  // Events that cannot be used: malformed (the profile reader's error) or a rating off this
  // bundle's scale. Lenient: left out and reported; strict: the whole profile is refused.
  if (doc.is_object() && doc.contains("events") && doc["events"].is_array()) {
    json kept = json::array();
    const json& events = doc["events"];
    for (size_t j = 0; j < events.size(); ++j) {
      const std::string where = "events[" + std::to_string(j) + "]";
      StatusOr<Event> e = Profile::EventFromJson(events[j], where);
      Status st = e.status();
      if (e.ok() && (e->type == EventType::kRate || e->type == EventType::kMentorRated ||
                     (e->type == EventType::kCompacted && e->rating > 0)) && !scale.Contains(e->rating)) {
        std::ostringstream msg;
        msg << "profile: " << where << ": rating " << e->rating << " is off this bundle's scale " << scale.min << ".."
            << scale.max;
        st = Status(ErrorCode::kInvalidArgument, msg.str());
      }
      if (st.ok()) {
        kept.push_back(events[j]);
      } else if (!lenient) {
        return st;
      } else {
        json r = {{"index", j}, {"code", ErrorCodeName(st.code())}, {"message", st.message()}};
        if (events[j].is_object() && events[j].contains("id") && events[j]["id"].is_string()) r["id"] = events[j]["id"];
        rejected.push_back(std::move(r));
      }
    }
    doc["events"] = std::move(kept);
  }
  PATHLIGHT_ASSIGN_OR_RETURN(Profile prof, Profile::FromJson(doc));
  profile_ = std::move(prof);
  profile_bytes_ = profile_.JsonBytes();
  *learner_ = rec.Learner(profile_, now_);
  return json{{"unknownIds", learner_->unknown_ids()}, {"events", profile_.events.size()}, {"rejected", rejected}};
}

StatusOr<json> Session::Dispatch(const std::string& method, const json& p) {
  const MethodSpec* spec = FindMethod(method);
  if (!spec) return Invalid("unknown method \"" + method.substr(0, 64) + "\"");
  // One function per method, looked up by name: a WebAssembly engine compiles a function on its
  // first call (V8's lazy compilation), and a first request then compiles only its own method —
  // one function for all of them (96 KB of WebAssembly) took 25 ms of Liftoff compilation in Node,
  // and the first request in a Chromium Worker 115–130 ms (22–51 ms with one function per method).
  using Handler = StatusOr<json> (Session::*)(const json&);
  struct Entry {
    std::string_view name;
    Handler handler;
    bool needs_bundle;
  };
  static constexpr Entry kHandlers[] = {
      {"describe", &Session::HandleDescribe, false},
      {"info", &Session::HandleInfo, true},
      {"catalog", &Session::HandleCatalog, true},
      {"setProfile", &Session::SetProfile, true},
      {"exportProfile", &Session::HandleExportProfile, true},
      {"addEvent", &Session::HandleAddEvent, true},
      {"setPreferences", &Session::HandleSetPreferences, true},
      {"forgetConcept", &Session::HandleForgetConcept, true},
      {"learner", &Session::HandleLearner, true},
      {"recommend", &Session::HandleRecommend, true},
      {"similar", &Session::HandleSimilar, true},
      {"explain", &Session::HandleExplain, true},
      {"path", &Session::HandlePath, true},
      {"mentors", &Session::HandleMentors, true},
      {"nextConcepts", &Session::HandleNextConcepts, true},
      {"foldIn", &Session::HandleFoldIn, true},
      {"refine", &Session::HandleRefine, true},
      {"resetPersonalization", &Session::HandleResetPersonalization, true},
  };
  const Entry* e = std::find_if(std::begin(kHandlers), std::end(kHandlers), [&](const Entry& h) { return h.name == method; });
  if (e == std::end(kHandlers)) return Invalid("method \"" + method + "\" has no handler");  // api_params.h lists it: a bug here
  PATHLIGHT_RETURN_IF_ERROR(CheckParams(*spec, p));
  if (e->needs_bundle) {
    if (!rec_) return Invalid("no bundle is loaded");
    if (p.contains("now") && !p["now"].is_null()) now_ = p["now"].get<double>();
  }
  return (this->*(e->handler))(p);
}

StatusOr<json> Session::HandleDescribe(const json& /*p*/) {
  json d = DescribeMethods();
  json kinds = json::array(), events = json::array(), terms = json::array();
  for (Reason::Kind k : AllReasonKinds()) kinds.push_back(ReasonKindName(k));
  for (const RankingTerm& t : RankingTerms())
    if (t.reason_kind) kinds.push_back(t.reason_kind);
  for (int t = 0; t <= static_cast<int>(EventType::kMentorRated); ++t) events.push_back(EventTypeName(static_cast<EventType>(t)));
  for (const RankingTerm& t : RankingTerms())
    terms.push_back({{"name", t.name}, {"option", t.option},
                     {"productWeight", std::round(static_cast<double>(t.product_weight) * 1e6) / 1e6}, {"doc", t.doc}});
  d["reasonKinds"] = kinds;
  d["eventTypes"] = events;
  d["rankingTerms"] = terms;
  json formats = json::array();  // bundle format versions this engine reads
  for (int v = kOldestBundleFormatVersion; v <= kBundleFormatVersion; ++v) formats.push_back(v);
  d["bundleFormats"] = formats;
  return d;
}

StatusOr<json> Session::HandleInfo(const json& /*p*/) {
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  const Bundle& b = rec.bundle();
  const RatingScale scale = rec.model().rating_scale();
  // Why the factors have their encoding, as the trainer measured it (manifest "encoding").
  const json& enc = b.info.encoding;
  const json overlap = enc.contains("top100_overlap") && enc["top100_overlap"].is_object()
                           ? enc["top100_overlap"].value("i8", json()) : json();
  return json{{"dataset", b.info.dataset}, {"formatVersion", b.info.format_version}, {"algorithm", b.info.algorithm},
              {"factors", b.info.factors}, {"items", cat.num_items()}, {"concepts", cat.num_concepts()},
              {"regularization", b.info.regularization}, {"alpha", b.info.alpha}, {"metrics", b.info.metrics},
              {"factorEncoding", FactorEncodingName(b.item_factors.encoding())},
              {"encodingReason", enc.contains("reason") && enc["reason"].is_string() ? enc["reason"].get<std::string>() : ""},
              {"int8Overlap", overlap.is_number() ? overlap : json()},
              {"parent", b.info.parent.empty() ? json() : json(b.info.parent)},
              {"ratingScale", {scale.min, scale.max}}, {"ratingStep", scale.step}, {"ratingChoices", scale.Choices()}, {"predictsRatings", rec.model().predicts_ratings()},
              {"priceUnits", PriceUnitsJson()}};
}

StatusOr<json> Session::HandleCatalog(const json& /*p*/) {
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  return cat.ToJson();
}

StatusOr<json> Session::HandleExportProfile(const json& /*p*/) {
  LearnerState& learner = *learner_;
  return learner.profile().ToJson();
}

StatusOr<json> Session::HandleAddEvent(const json& p) {
  const Recommender& rec = *rec_;
  LearnerState& learner = *learner_;
  PATHLIGHT_ASSIGN_OR_RETURN(Event e, Profile::EventFromJson(p["event"], "event"));
  if (e.type == EventType::kCompacted) return Invalid("addEvent: \"compacted\" is the profile's own summary type, not an event");
  PATHLIGHT_RETURN_IF_ERROR(rec.AddEvent(learner, e));
  profile_.events.push_back(learner.profile().events.back());  // O(1): profile_ mirrors the learner's
  profile_bytes_ += Profile::EventToJson(e).dump(-1, ' ', false, json::error_handler_t::replace).size() + 1;
  // Keep a live session's log as bounded as an imported one (Profile::FromJson bounds too): fold
  // the oldest events into per-item summaries and re-solve once, when either the event count or
  // the text size would pass its cap — so the export always imports again.
  const ProfileLimits limits;
  if (profile_.events.size() > limits.max_events || profile_bytes_ > limits.max_json_bytes) {
    PATHLIGHT_RETURN_IF_ERROR(profile_.Bound(limits, now_, rec.learner_options().confidence, rec.model().rating_scale()));
    profile_bytes_ = profile_.JsonBytes();
    *learner_ = rec.Learner(profile_, now_);
  }
  return json{{"events", profile_.events.size()}};
}

StatusOr<json> Session::HandleSetPreferences(const json& p) {
  const Recommender& rec = *rec_;
  LearnerState& learner = *learner_;
  Profile prefs = learner.profile();  // only the given preferences change
  Read(p, "goals", &prefs.goals);
  Read(p, "known", &prefs.known);
  if (p.contains("budget")) prefs.budget = p["budget"].is_null() ? -1 : p["budget"].get<double>();
  Read(p, "currency", &prefs.currency);
  Read(p, "language", &prefs.language);
  Read(p, "weeklyHours", &prefs.weekly_hours);
  if (p.contains("level")) prefs.level = p["level"].is_null() ? std::nullopt : ParseLevel(p["level"].get<std::string>());
  // A profile is bounded at every change: preferences that would make it too large to export
  // and import again are refused (nothing changes).
  PATHLIGHT_RETURN_IF_ERROR(prefs.Bound(ProfileLimits(), now_, rec.learner_options().confidence, rec.model().rating_scale()));
  if (prefs.events.size() != learner.profile().events.size()) *learner_ = rec.Learner(prefs, now_);  // compacted to fit
  else rec.UpdatePreferences(learner, prefs);
  profile_bytes_ = prefs.JsonBytes();
  profile_ = learner_->profile();
  return json{{"unknownIds", learner.unknown_ids()}};
}

StatusOr<json> Session::HandleForgetConcept(const json& p) {
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  LearnerState& learner = *learner_;
  std::string id;
  Read(p, "concept", &id);
  const auto c = cat.FindConcept(id);
  if (!c) return Status(ErrorCode::kUnknownId, "concept " + QuoteForMessage(id) + " is not in this bundle's knowledge graph");
  Profile next = learner.profile();
  json removed = json::array();
  next.known.erase(std::remove(next.known.begin(), next.known.end(), id), next.known.end());
  std::vector<Event> kept;
  for (Event& e : next.events) {
    if (e.type == EventType::kKnowConcept && e.concept == id) removed.push_back(e.id);
    else kept.push_back(std::move(e));
  }
  next.events = std::move(kept);
  *learner_ = rec.Learner(std::move(next), now_);
  profile_ = learner_->profile();
  const KnownVia via = learner_->known_via()[c->value()];
  return json{{"removedEvents", removed}, {"known", profile_.known},
              {"stillKnown", via == KnownVia::kNone ? json(nullptr) : json{{"via", KnownViaName(via)}}}};
}

StatusOr<json> Session::HandleLearner(const json& /*p*/) {
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  LearnerState& learner = *learner_;
  const LearnerSummary sum = rec.Summary(learner);
  json known = json::array(), items = json::array(), out_of_scale = json::array();
  for (const KnownConcept& k : sum.known) {
    std::vector<std::string> ids;
    for (const std::string& e : k.event_ids) ids.push_back(e);
    known.push_back({{"id", cat.concept_at(k.concept).id}, {"via", KnownViaName(k.via)}, {"stated", k.stated},
                     {"events", ids}, {"completed", Ids(k.completed, cat)}, {"rated", Ids(k.rated, cat)}, {"impliedBy", Ids(k.implied_by, cat)},
                     {"forgettable", k.said()}});
  }
  for (const LearnerItem& i : sum.items) {
    json j = {{"id", cat.item(i.item).id}, {"group", ItemRelationName(i.relation)}};
    if (i.rating > 0) j["rating"] = i.rating;
    // What the learner would book — not for a session already booked: which offering they booked
    // is not recorded, and the engine's pick would read as the one they took.
    if (cat.item(i.item).kind == ItemKind::kMentor && i.relation != ItemRelation::kBooked)
      j["booking"] = MentorBookingJson(rec, i.item, learner.profile().budget);
    items.push_back(std::move(j));
  }
  for (size_t j : learner.out_of_scale()) {
    json r = {{"index", j}};
    if (!learner.profile().events[j].id.empty()) r["id"] = learner.profile().events[j].id;
    out_of_scale.push_back(std::move(r));
  }
  return json{{"goals", GoalsJson(learner.goals(), learner, cat)}, {"known", known}, {"items", items},
              {"events", learner.profile().events.size()}, {"unknownIds", learner.unknown_ids()},
              {"outOfScale", out_of_scale}, {"basis", {{"items", sum.items_with_events}, {"skills", sum.skills_stated}}}};
}

StatusOr<json> Session::HandleRecommend(const json& p) {
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  LearnerState& learner = *learner_;
  bool pure = false;
  Read(p, "pure", &pure);
  RankOptions o = pure ? RankOptions() : ProductDefaults(learner.profile());
  ReadRankOptions(p, cat, &o);
  // The one-mentor, one-membership slate is for a mixed list: a list of mentors only (or
  // memberships only) holds as many as asked, unless the request sets the cap itself.
  if (o.kinds.size() == 1 && o.kinds[0] == ItemKind::kMentor && !p.contains("maxMentors")) o.max_mentors = -1;
  if (o.kinds.size() == 1 && o.kinds[0] == ItemKind::kMembership && !p.contains("maxMemberships")) o.max_memberships = -1;
  // One LearnerContext for the ranking, the goals the list leads toward and what it left out.
  const LearnerContext ctx = rec.Context(learner);
  std::vector<Recommendation> list = rec.Rank(learner, o, &workspace_, &ctx);
  const int32_t page = PageLanguageId(p, rec);
  std::vector<Reason> shared;
  PresentReasons(&list, &shared);
  json items = json::array();
  int unpriced = 0;  // listed under a budget only because their price is unknown (it passes any budget)
  for (const Recommendation& r : list) {
    json j = {{"id", cat.item(r.item).id}, {"index", r.item.value()}, {"score", r.score}, {"personal", r.personal},
              {"readiness", r.readiness}, {"goalRelevance", r.goal_relevance}, {"reasons", ReasonsJson(r.reasons, cat)}};
    if (auto rating = rec.PredictRating(learner, r.item)) j["predictedRating"] = *rating;
    const bool mentor = cat.item(r.item).kind == ItemKind::kMentor;
    if (mentor) j["booking"] = MentorBookingJson(rec, r.item, o.max_price);
    if (o.max_price >= 0)
      unpriced += mentor ? j["booking"].is_object() && j["booking"]["pricePerSeat"].is_null() : !PriceToTake(cat.item(r.item));
    MarkOtherLanguage(rec.graph(), r.item, page, &j);
    items.push_back(std::move(j));
  }
  std::vector<const Reason*> shown;
  for (const Recommendation& r : list)
    for (const Reason& reason : r.reasons) shown.push_back(&reason);
  for (const Reason& reason : shared) shown.push_back(&reason);
  const GoalsOfList goals = GoalsNamed(ctx, shown);
  // A list shorter than asked says why: what each filter left out (null for a full list).
  json excluded = nullptr;
  if (static_cast<int>(list.size()) < o.k) {
    const Exclusions e = rec.Excluded(learner, ctx, o, &workspace_);
    static constexpr std::pair<const char*, int32_t Exclusions::*> kFields[] = {
        {"kinds", &Exclusions::kinds},       {"consumed", &Exclusions::consumed}, {"dismissed", &Exclusions::dismissed},
        {"levels", &Exclusions::levels},     {"budget", &Exclusions::budget},     {"language", &Exclusions::language},
        {"known", &Exclusions::known},       {"mentors", &Exclusions::mentors},   {"readiness", &Exclusions::readiness},
        {"eligible", &Exclusions::eligible}};
    excluded = json::object();
    for (const auto& [name, field] : kFields) excluded[name] = e.*field;
  }
  return json{{"items", items}, {"fallback", learner.is_cold() ? json("popular") : json(nullptr)},
              {"sharedReasons", ReasonsJson(shared, cat)}, {"goals", GoalsJson(learner.goals(), learner, cat)},
              {"goalsServed", Ids(goals.named, cat)}, {"goalsUnserved", Ids(goals.unnamed, cat)},
              {"unpriced", unpriced}, {"excluded", excluded}};
}

StatusOr<json> Session::HandleSimilar(const json& p) {
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  PATHLIGHT_ASSIGN_OR_RETURN(ItemIndex item, ItemParam(p, cat));
  RankOptions o;
  Read(p, "k", &o.k);
  ReadFilters(p, &o);
  json items = json::array();
  for (const Recommendation& r : rec.Similar(item, o, &workspace_))
    items.push_back({{"id", cat.item(r.item).id}, {"index", r.item.value()}, {"score", r.score}});
  return json{{"items", items}};
}

StatusOr<json> Session::HandleExplain(const json& p) {
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  LearnerState& learner = *learner_;
  PATHLIGHT_ASSIGN_OR_RETURN(ItemIndex item, ItemParam(p, cat));
  const Explanation ex = rec.Explain(learner, item);
  json out = {{"score", ex.score}, {"contributions", ContributionsJson(ex.contributions, cat)},
              {"reasons", ReasonsJson(rec.Reasons(learner, rec.Context(learner), item), cat)}};
  if (auto r = rec.PredictRating(learner, item)) out["predictedRating"] = *r;
  if (ex.prior != 0) out["prior"] = ex.prior;
  return out;
}

StatusOr<json> Session::HandlePath(const json& p) {
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  LearnerState& learner = *learner_;
  PATHLIGHT_ASSIGN_OR_RETURN(std::vector<ConceptIndex> goals, Concepts(p, "goals", cat));
  RankOptions o = SettingsFilters(learner.profile());
  ReadFilters(p, &o);
  const LearningPath path = rec.Path(learner, goals, o);
  json steps = json::array(), memberships = json::array();
  for (const PathStep& s : path.steps)
    steps.push_back({{"concept", cat.concept_at(s.concept).id}, {"state", PathStateName(s.state)}, {"depth", s.depth},
                     {"item", s.item ? json(cat.item(*s.item).id) : json(nullptr)},
                     {"taking", s.taking ? json(cat.item(*s.taking).id) : json(nullptr)},
                     {"itemAlsoNeeds", Ids(s.item_also_needs, cat)}});
  for (const MembershipOption& m : path.memberships)
    memberships.push_back({{"id", cat.item(m.item).id}, {"covers", Ids(m.covers, cat)}, {"held", m.held}});
  return json{{"goals", GoalsJson(path.goals, learner, cat)}, {"steps", steps},
              {"hardest", path.hardest ? json(cat.concept_at(*path.hardest).id) : json(nullptr)},
              {"mentor", path.mentor ? MentorJson(*path.mentor, rec) : json(nullptr)},
              {"mentorDiagnostics", DiagnosticsJson(path.mentor_diagnostics)}, {"memberships", memberships},
              {"totals", TotalsJson(path.totals)}, {"unreachable", Ids(path.unreachable, cat)}};
}

StatusOr<json> Session::HandleMentors(const json& p) {
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  LearnerState& learner = *learner_;
  PATHLIGHT_ASSIGN_OR_RETURN(std::vector<ConceptIndex> gap, Concepts(p, "gap", cat));
  MentorOptions o;
  Read(p, "k", &o.k);
  std::string format = "any";
  Read(p, "format", &format);
  o.format = ParseOfferingFormat(format);  // "any" (checked against the parameter table): unset
  const MentorList list = rec.Mentors(learner, gap, o);
  json items = json::array();
  const int32_t page = PageLanguageId(p, rec);
  for (const MentorMatch& m : list.mentors) {
    items.push_back(MentorJson(m, rec));
    MarkOtherLanguage(rec.graph(), m.mentor, page, &items.back());
  }
  // Mentors' reasons name no goal: the list serves the goals whose way the listed mentors cover.
  std::vector<ConceptIndex> covered;
  for (const MentorMatch& m : list.mentors) covered.insert(covered.end(), m.covers.begin(), m.covers.end());
  return json{{"items", items}, {"gap", Ids(list.gap, cat)}, {"diagnostics", DiagnosticsJson(list.diagnostics)},
              {"goalsServed", Ids(GoalsCovered(rec.Context(learner), covered), cat)}};
}

StatusOr<json> Session::HandleNextConcepts(const json& p) {
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  LearnerState& learner = *learner_;
  PATHLIGHT_ASSIGN_OR_RETURN(std::vector<ConceptIndex> concepts, Concepts(p, "concepts", cat));
  std::vector<ConceptIndex> out;
  auto add = [&](ConceptIndex c) {
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  };
  const std::vector<uint8_t>& known = learner.known_concepts();
  for (ConceptIndex c : concepts) {
    if (!known[c.value()]) {
      add(c);
      continue;
    }
    int n = 0;  // known: point on to what it opens, the first three not yet known
    const IndexLists& next = rec.graph().dependants();
    for (const int32_t* d = next.first(c.value()); d != next.last(c.value()) && n < 3; ++d)
      if (!known[*d]) add(ConceptIndex(*d)), ++n;
  }
  return json{{"concepts", Ids(out, cat)}};
}

StatusOr<json> Session::HandleFoldIn(const json& /*p*/) {
  LearnerState& learner = *learner_;
  const Vector x = learner.user();
  return json{{"factors", std::vector<float>(x.data(), x.data() + x.size())}};
}

StatusOr<json> Session::HandleRefine(const json& p) {
  const Recommender& rec = *rec_;
  LearnerState& learner = *learner_;
  RefineOptions o;
  Read(p, "epochs", &o.epochs);
  rec.Refine(learner, o);
  return json{{"offsets", learner.bias_offsets().size()}};
}

StatusOr<json> Session::HandleResetPersonalization(const json& /*p*/) {
  const Recommender& rec = *rec_;
  LearnerState& learner = *learner_;
  rec.ResetPersonalization(learner);
  return json::object();
}

}  // namespace pathlight
