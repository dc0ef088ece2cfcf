// CRM exports (Salesforce Data Export and HubSpot contact export layouts)
// and the world-level truth files.
#include <algorithm>
#include <string>

#include "core/strings.h"
#include "core/utf8.h"
#include "sim/lexicon.h"
#include "sim/random.h"
#include "sim/writers.h"

namespace earshot::sim {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// Salesforce's Data Export quotes every field.
void PutQuoted(OutBuffer& b, std::string_view s) {
  b.Put('"');
  for (char c : s) {
    if (c == '"') b.Put('"');
    b.Put(c);
  }
  b.Put('"');
}

void PutQuotedRow(OutBuffer& b, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) b.Put(',');
    first = false;
    PutQuoted(b, f);
  }
  b.Lit("\r\n");
}

void PutCsvRow(OutBuffer& b, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) b.Put(',');
    first = false;
    b.PutCsvField(f);
  }
  b.Lit("\r\n");
}

std::string Rfc3339(int64_t ms) {
  OutBuffer b(32);
  b.PutRfc3339(ms);
  return std::string(b.view());
}

// HubSpot exports dates as "2025-03-14 09:21" in the portal's time zone (UTC here).
std::string HubSpotDate(int64_t ms) {
  std::string s = Rfc3339(ms);
  return s.substr(0, 10) + " " + s.substr(11, 5);
}

// Returns lower-case ASCII letters of `s` (diacritics folded: "Müller" -> "muller").
std::string EmailPart(std::string_view s) {
  std::string out;
  size_t pos = 0;
  while (pos < s.size()) {
    const char32_t cp = DecodeUtf8(s, pos);
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if (IsAsciiAlpha(c)) out.push_back(AsciiToLower(c));
      continue;
    }
    static constexpr struct {
      char32_t cp;
      const char* ascii;
    } kFold[] = {{U'á', "a"}, {U'à', "a"}, {U'â', "a"}, {U'ä', "ae"}, {U'é', "e"}, {U'è', "e"}, {U'ê', "e"},
                 {U'ë', "e"}, {U'í', "i"}, {U'î', "i"}, {U'ó', "o"}, {U'ô', "o"}, {U'ö', "oe"}, {U'ú', "u"},
                 {U'ü', "ue"}, {U'ñ', "n"}, {U'ç', "c"}, {U'ß', "ss"}, {U'É', "e"}, {U'Á', "a"}, {U'Ö', "oe"},
                 {U'Ü', "ue"}, {U'Ä', "ae"}, {U'Î', "i"}, {U'Ó', "o"}};
    for (const auto& f : kFold) {
      if (f.cp == cp) out += f.ascii;
    }
  }
  return out;
}

std::string Street(const Person& p, Rng& rng) {
  const std::string_view region = Regions()[static_cast<size_t>(p.region)].id;
  const std::string n = std::to_string(rng.Between(1, 980));
  if (region == "dach") {
    static constexpr std::string_view kS[] = {"Hauptstraße", "Bahnhofstraße", "Gartenstraße", "Schillerstraße", "Goethestraße"};
    return std::string(kS[rng.Below(5)]) + " " + std::to_string(rng.Between(1, 120));
  }
  if (region == "france") {
    static constexpr std::string_view kS[] = {"rue de la Paix", "rue Victor Hugo", "avenue du Général Leclerc", "rue du Commerce"};
    return std::to_string(rng.Between(1, 120)) + " " + std::string(kS[rng.Below(4)]);
  }
  if (region == "spain" || region == "latam") {
    static constexpr std::string_view kS[] = {"Calle Mayor", "Gran Vía", "Calle de Alcalá", "Avenida Reforma"};
    return std::string(kS[rng.Below(4)]) + " " + std::to_string(rng.Between(1, 300));
  }
  if (region == "japan") {
    static constexpr std::string_view kS[] = {"丸の内", "西新宿", "梅田", "みなとみらい"};
    return std::string(kS[rng.Below(4)]) + std::to_string(rng.Between(1, 9)) + "-" + std::to_string(rng.Between(1, 20)) +
           "-" + std::to_string(rng.Between(1, 30));
  }
  static constexpr std::string_view kS[] = {"Main St", "Market St", "Oak Ave", "Pine St", "Lake Blvd",
                                            "Cedar Rd", "Park Ave", "Hill St", "Maple Dr", "Commerce Way"};
  return n + " " + std::string(kS[rng.Below(10)]) + (rng.Chance(0.3) ? ", Suite " + std::to_string(rng.Between(100, 900)) : "");
}

std::string PostalCode(const City& c, Rng& rng) {
  const std::string_view cc = c.country_code;
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng.Below(10)));
    return s;
  };
  if (cc == "JP") return digits(3) + "-" + digits(4);
  if (cc == "GB") return "EC" + std::to_string(rng.Between(1, 4)) + "A " + digits(1) + "BB";
  if (cc == "CA") return "M5V " + digits(1) + "T" + digits(1);
  if (cc == "IN") return digits(6);
  if (cc == "IE" || cc == "CO" || cc == "CL") return "";
  if (cc == "AT" || cc == "CH" || cc == "BE") return digits(4);
  return digits(5);
}

std::string Phone(const City& c, Rng& rng) {
  const std::string_view cc = c.country_code;
  const std::string tail = std::to_string(rng.Between(1000000, 9999999));
  if (cc == "US" || cc == "CA") return "+1 (" + std::to_string(rng.Between(201, 989)) + ") 555-01" + std::to_string(rng.Between(10, 99));
  if (cc == "DE") return "+49 " + std::to_string(rng.Between(30, 89)) + " " + tail;
  if (cc == "FR") return "+33 1 " + tail.substr(0, 2) + " " + tail.substr(2, 2) + " " + tail.substr(4, 2) + " 00";
  if (cc == "GB") return "+44 20 " + tail.substr(0, 4) + " " + tail.substr(3, 4);
  if (cc == "JP") return "+81 3-" + tail.substr(0, 4) + "-" + tail.substr(3, 4);
  if (cc == "ES") return "+34 91 " + tail;
  return "+" + std::to_string(rng.Between(30, 99)) + " " + tail;
}

// The handle a CRM record holds for an X account: often right, sometimes
// with '@', other case, a typo, an old handle, or missing.
std::string CrmHandle(const std::string& handle, Rng& rng) {
  if (handle.empty()) return "";
  const double u = rng.Uniform();
  if (u < 0.45) return handle;
  if (u < 0.60) return "@" + handle;
  if (u < 0.70) return AsciiLower(handle);
  if (u < 0.77 && handle.size() > 3) {
    std::string t = handle;
    const size_t i = 1 + rng.Below(t.size() - 2);
    if (rng.Chance(0.5)) {
      t.erase(i, 1);
    } else {
      std::swap(t[i], t[i + 1]);
    }
    return t;
  }
  if (u < 0.82) return handle.substr(0, std::min<size_t>(handle.size(), 11)) + "_old";
  return "";
}

std::string WorkEmail(const Person& p, const std::string& domain, Rng& rng) {
  const std::string f = EmailPart(p.first), l = EmailPart(p.last);
  const double u = rng.Uniform();
  if (u < 0.5) return f + "." + l + "@" + domain;
  if (u < 0.75) return f.substr(0, 1) + l + "@" + domain;
  if (u < 0.85) return f + "@" + domain;
  return f + "_" + l + "@" + domain;
}

std::string_view Department(std::string_view title) {
  if (title.find("Secur") != std::string_view::npos || title.find("CISO") != std::string_view::npos ||
      title.find("RSSI") != std::string_view::npos) {
    return "Security";
  }
  if (title.find("Data") != std::string_view::npos) return "Data";
  if (title.find("Engineer") != std::string_view::npos || title.find("Architect") != std::string_view::npos) return "Engineering";
  if (title.find("Analyst") != std::string_view::npos || title.find("Research") != std::string_view::npos) return "Research";
  return "IT";
}

constexpr std::string_view kOwners[] = {"Dana Whitfield", "Marcus Okoro", "Lena Vogt",
                                        "Sofia Marchetti", "Kenji Arai", "Priya Raman"};

void WriteAccounts(const World& w, Rng& rng, Outputs& out) {
  std::unique_ptr<OpenFile> f = out.Open("crm/salesforce_accounts.csv");
  if (!f) return;
  OutBuffer& b = f->buf();
  PutQuotedRow(b, {"Id", "IsDeleted", "MasterRecordId", "Name", "Type", "ParentId", "BillingStreet", "BillingCity",
                   "BillingState", "BillingPostalCode", "BillingCountry", "Phone", "Website", "Industry",
                   "AnnualRevenue", "NumberOfEmployees", "OwnerId", "CreatedDate", "LastModifiedDate"});
  for (const Account& a : w.accounts) {
    const City& c = Regions()[static_cast<size_t>(a.region)].cities[static_cast<size_t>(a.city)];
    Person where;
    where.region = a.region;
    const std::string revenue = std::to_string(a.revenue);
    const std::string employees = std::to_string(a.employees);
    const std::string& owner = w.sf_owner_ids[rng.Below(w.sf_owner_ids.size())];
    const std::string created = Rfc3339(a.created_ms);
    const std::string modified = Rfc3339(a.created_ms + rng.Between(1, 390) * kDayMs);
    PutQuotedRow(b, {a.sf_id, "false", "", a.name, a.type, "", Street(where, rng), c.name, c.state,
                     PostalCode(c, rng), c.country, Phone(c, rng), "https://www." + a.domain, a.industry, revenue,
                     employees, owner, created, modified});
    ++f->records;
  }
  out.Close(f);
}

int64_t WriteSalesforceContacts(const World& w, Rng& rng, Outputs& out) {
  std::unique_ptr<OpenFile> f = out.Open("crm/salesforce_contacts.csv");
  if (!f) return 0;
  OutBuffer& b = f->buf();
  PutQuotedRow(b, {"Id", "IsDeleted", "MasterRecordId", "AccountId", "LastName", "FirstName", "Salutation", "Name",
                   "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry", "Phone",
                   "MobilePhone", "Email", "Title", "Department", "LeadSource", "OwnerId", "CreatedDate",
                   "LastModifiedDate", "Twitter_Handle__c"});
  static constexpr std::string_view kSalutations[] = {"", "", "", "", "", "Dr."};
  static constexpr std::string_view kSources[] = {"Web", "Phone Inquiry", "Partner Referral", "Trade Show", "Webinar",
                                                  "Other"};
  for (int i : w.sf_contacts) {
    const Person& p = w.people[static_cast<size_t>(i)];
    const Account& a = w.accounts[static_cast<size_t>(p.account)];
    const City& c = Regions()[static_cast<size_t>(p.region)].cities[static_cast<size_t>(p.city)];
    // Accounts are at least 400 days old; contacts and their edits predate the window.
    const int64_t created = a.created_ms + rng.Between(0, 200) * kDayMs + rng.Between(0, kDayMs - 1);
    PutQuotedRow(b, {p.sf_id, "false", "", a.sf_id, p.last, p.first, kSalutations[rng.Below(6)], p.first + " " + p.last,
                     Street(p, rng), c.name, c.state, PostalCode(c, rng), c.country, Phone(c, rng),
                     rng.Chance(0.4) ? Phone(c, rng) : "", WorkEmail(p, a.domain, rng), p.title, Department(p.title),
                     kSources[rng.Below(6)], w.sf_owner_ids[rng.Below(w.sf_owner_ids.size())], Rfc3339(created),
                     Rfc3339(created + rng.Between(1, 190) * kDayMs), CrmHandle(p.x_handle, rng)});
    ++f->records;
  }
  const int64_t n = f->records;
  out.Close(f);
  return n;
}

std::string CompanyVariant(const std::string& name, Rng& rng) {
  const double u = rng.Uniform();
  if (u < 0.6) return name;
  const size_t cut = name.find_first_of(",");
  std::string base = name.substr(0, cut == std::string::npos ? name.size() : cut);
  if (const size_t sp = base.rfind(' '); u < 0.75 && sp != std::string::npos) return base.substr(0, sp);
  if (u < 0.85) return AsciiLower(base);
  return base + " (EMEA)";
}

int64_t WriteHubSpotContacts(const World& w, int64_t start_ms, Rng& rng, Outputs& out) {
  std::unique_ptr<OpenFile> f = out.Open("crm/hubspot_contacts.csv");
  if (!f) return 0;
  OutBuffer& b = f->buf();
  PutCsvRow(b, {"Record ID", "First Name", "Last Name", "Email", "Phone Number", "Job Title", "Company Name", "City",
                "State/Region", "Country/Region", "Twitter Username", "Lifecycle Stage", "Lead Status",
                "Contact owner", "Create Date", "Last Activity Date"});
  static constexpr std::string_view kLeadStatus[] = {"New", "Open", "In Progress", "Open Deal", "Unqualified",
                                                     "Attempted to Contact", "Connected", "Bad Timing"};
  for (int i : w.hs_contacts) {
    const Person& p = w.people[static_cast<size_t>(i)];
    const City& c = Regions()[static_cast<size_t>(p.region)].cities[static_cast<size_t>(p.city)];
    const std::string company = p.account >= 0 ? CompanyVariant(w.accounts[static_cast<size_t>(p.account)].name, rng)
                                               : (rng.Chance(0.5) ? "" : "Self-employed");
    const std::string domain = p.account >= 0 ? w.accounts[static_cast<size_t>(p.account)].domain : "";
    std::string lifecycle = "Subscriber";
    if (p.role == Role::kCustomer || p.role == Role::kAdvocate) lifecycle = rng.Chance(0.2) ? "Evangelist" : "Customer";
    if (p.role == Role::kProspect) {
      static constexpr std::string_view kStages[] = {"Lead", "Marketing Qualified Lead", "Sales Qualified Lead",
                                                     "Opportunity"};
      lifecycle = std::string(kStages[rng.Below(4)]);
    }
    if (p.role == Role::kJournalist || p.role == Role::kAnalyst) lifecycle = "Other";
    const int64_t created = start_ms - rng.Between(30, 900) * kDayMs + rng.Between(0, kDayMs - 1);
    const int rows = rng.Chance(0.03) ? 2 : 1;  // the same person signed up twice
    for (int r = 0; r < rows; ++r) {
      const bool personal = domain.empty() || r == 1 || rng.Chance(0.3);
      const std::string email = personal ? EmailPart(p.nick) + EmailPart(p.last) + std::to_string(rng.Between(1, 99)) +
                                               "@mail.example"
                                         : WorkEmail(p, domain, rng);
      const std::string id = std::to_string(r == 0 ? p.hs_id : p.hs_id + 900'000'000);
      PutCsvRow(b, {id, rng.Chance(0.4) || r == 1 ? p.nick : p.first, p.last, email,
                    rng.Chance(0.5) ? Phone(c, rng) : "", p.title, company, c.name, c.state, c.country,
                    CrmHandle(p.x_handle, rng), lifecycle, kLeadStatus[rng.Below(8)],
                    std::string(kOwners[rng.Below(6)]), HubSpotDate(created),
                    rng.Chance(0.6) ? HubSpotDate(created + rng.Between(1, 29) * kDayMs) : ""});
      ++f->records;
    }
  }
  const int64_t n = f->records;
  out.Close(f);
  return n;
}

// Expected reactions below one post, direct and indirect, on each platform:
// the direct rate divided by (1 - branching ratio).
double Influence(const Person& p, Platform platform) {
  constexpr double kCascade = 1.0 / (1.0 - 0.42);
  switch (platform) {
    case Platform::kX: return p.reach * kCascade;
    case Platform::kMastodon: return p.reach * 0.4 * kCascade;
    case Platform::kHn:
    case Platform::kReddit: return (0.5 + 1.0 * p.reach) * (1 + 0.45 * p.reach * kCascade);
    case Platform::kBlog:
    case Platform::kNews: return 1 + p.reach * 0.8 * kCascade;
    default: return 0;
  }
}

void PutTruthPair(OutBuffer& b, std::string_view key, std::string_view author, std::string_view value_key,
                  std::string_view value, bool numeric, std::string_view source) {
  b.Lit("{\"");
  b.Put(key);
  b.Lit("\":\"");
  b.PutJsonEscaped(author);
  b.Lit("\",\"");
  b.Put(value_key);
  b.Lit("\":");
  if (numeric) {
    b.Put(value);
  } else {
    b.Put('"');
    b.PutJsonEscaped(value);
    b.Put('"');
  }
  b.Lit(",\"source\":\"");
  b.Put(source);
  b.Lit("\"}\n");
}

}  // namespace

int64_t WriteCrm(const World& w, uint64_t seed, int64_t start_ms, Outputs& out) {
  Rng rng(seed, 401);
  WriteAccounts(w, rng, out);
  const int64_t sf = WriteSalesforceContacts(w, rng, out);
  return sf + WriteHubSpotContacts(w, start_ms, rng, out);
}

void WriteWorldTruth(const World& w, Outputs& out) {
  if (std::unique_ptr<OpenFile> f = out.Open("truth/watches.jsonl")) {
    for (const Watch& watch : w.watches) {
      OutBuffer& b = f->buf();
      b.Lit("{\"name\":\"");
      b.PutJsonEscaped(watch.name);
      b.Lit("\",\"query\":\"");
      b.PutJsonEscaped(watch.query);
      b.Lit("\",\"group\":\"");
      b.PutJsonEscaped(watch.group);
      b.Lit("\"}\n");
      ++f->records;
    }
    out.Close(f);
  }
  if (std::unique_ptr<OpenFile> f = out.Open("truth/events.jsonl")) {
    for (const MarketEvent& e : w.events) {
      OutBuffer& b = f->buf();
      b.Lit("{\"kind\":\"");
      b.PutJsonEscaped(e.kind);
      b.Lit("\",\"watch\":\"");
      b.PutJsonEscaped(w.watches[static_cast<size_t>(e.watch)].name);
      b.Lit("\",\"start\":\"");
      b.PutRfc3339Seconds(e.start_ms);
      b.Lit("\",\"end\":\"");
      b.PutRfc3339Seconds(e.end_ms);
      b.Lit("\",\"direction\":\"");
      b.Put(e.sentiment == Sentiment::kPositive ? "up" : "down");
      b.Lit("\"}\n");
      ++f->records;
    }
    out.Close(f);
  }
  static constexpr struct {
    Platform platform;
    std::string_view source;
  } kSources[] = {{Platform::kX, "x"},       {Platform::kMastodon, "mastodon"}, {Platform::kBlog, "feed"},
                  {Platform::kHn, "hn"},     {Platform::kReddit, "reddit"},     {Platform::kReview, "csv"},
                  {Platform::kCommunity, "csv"}, {Platform::kVideo, "csv"}};
  auto has = [](const Person& p, Platform pl) {
    switch (pl) {
      case Platform::kX: return !p.x_handle.empty();
      case Platform::kMastodon: return !p.mastodon_user.empty();
      case Platform::kBlog:
        return p.blog_site >= 0 || p.news_site >= 0 || p.role == Role::kSme || p.role == Role::kOfficial;
      case Platform::kHn: return !p.hn_handle.empty();
      case Platform::kReddit: return !p.reddit_handle.empty();
      case Platform::kReview: return !p.review_name.empty();
      case Platform::kCommunity: return !p.community_handle.empty();
      case Platform::kVideo: return !p.video_channel.empty();
      default: return false;
    }
  };
  std::unique_ptr<OpenFile> inf = out.Open("truth/influence.jsonl");
  std::unique_ptr<OpenFile> ids = out.Open("truth/identities.jsonl");
  if (!inf || !ids) return;
  for (int i = 0; i < static_cast<int>(w.people.size()); ++i) {
    const Person& p = w.people[static_cast<size_t>(i)];
    for (const auto& s : kSources) {
      if (!has(p, s.platform)) continue;
      const Platform pl = s.platform == Platform::kBlog && p.news_site >= 0 ? Platform::kNews : s.platform;
      const std::string handle = AuthorHandle(w, i, pl);
      // Reviews, community posts and videos draw no modelled reactions.
      if (s.source != "csv") {
        OutBuffer num(32);
        num.PutFixed(Influence(p, pl), 4);
        PutTruthPair(inf->buf(), "author", handle, "influence", num.view(), true, s.source);
        ++inf->records;
      }
      if (!p.contact_id.empty()) {
        PutTruthPair(ids->buf(), "author", handle, "contact", p.contact_id, false, s.source);
        ++ids->records;
      }
    }
    inf->writer->MaybeFlush();
    ids->writer->MaybeFlush();
  }
  out.Close(inf);
  out.Close(ids);
}

}  // namespace earshot::sim
