#include "sim/lexicon.h"

namespace earshot::sim {
namespace {

using sv = std::string_view;

// ---- Names ----------------------------------------------------------------

constexpr GivenName kAngloGiven[] = {
    {"James", "Jim", "Jamie", ""},     {"Robert", "Bob", "Rob", ""},      {"Michael", "Mike", "", ""},
    {"William", "Bill", "Will", ""},   {"David", "Dave", "", ""},         {"Richard", "Rick", "Rich", ""},
    {"Joseph", "Joe", "", ""},         {"Thomas", "Tom", "", ""},         {"Christopher", "Chris", "", ""},
    {"Daniel", "Dan", "Danny", ""},    {"Matthew", "Matt", "", ""},       {"Anthony", "Tony", "", ""},
    {"Andrew", "Andy", "Drew", ""},    {"Joshua", "Josh", "", ""},        {"Kenneth", "Ken", "", ""},
    {"Steven", "Steve", "", ""},       {"Timothy", "Tim", "", ""},        {"Jonathan", "Jon", "", ""},
    {"Benjamin", "Ben", "", ""},       {"Nicholas", "Nick", "", ""},      {"Samuel", "Sam", "", ""},
    {"Alexander", "Alex", "", ""},     {"Patrick", "Pat", "", ""},        {"Gregory", "Greg", "", ""},
    {"Edward", "Ed", "Ted", ""},       {"Ryan", "", "", ""},              {"Kevin", "", "", ""},
    {"Brian", "", "", ""},             {"Jason", "", "", ""},             {"Eric", "", "", ""},
    {"Adam", "", "", ""},              {"Kyle", "", "", ""},              {"Aaron", "", "", ""},
    {"Mary", "", "", ""},              {"Patricia", "Trish", "Pat", ""},  {"Jennifer", "Jen", "Jenny", ""},
    {"Linda", "", "", ""},             {"Elizabeth", "Liz", "Beth", ""},  {"Barbara", "Barb", "", ""},
    {"Susan", "Sue", "", ""},          {"Jessica", "Jess", "", ""},       {"Sarah", "", "", ""},
    {"Karen", "", "", ""},             {"Nancy", "", "", ""},             {"Margaret", "Maggie", "Meg", ""},
    {"Emily", "Em", "", ""},           {"Michelle", "Shelly", "", ""},    {"Amanda", "Mandy", "", ""},
    {"Rebecca", "Becky", "Becca", ""}, {"Katherine", "Kate", "Katie", ""}, {"Christine", "Chris", "", ""},
    {"Samantha", "Sam", "", ""},       {"Deborah", "Deb", "", ""},        {"Victoria", "Vicky", "Tori", ""},
    {"Laura", "", "", ""},             {"Rachel", "", "", ""},            {"Megan", "", "", ""},
    {"Olivia", "Liv", "", ""},         {"Grace", "", "", ""},             {"Hannah", "", "", ""},
};
constexpr FamilyName kAngloFamily[] = {
    {"Smith", ""},    {"Johnson", ""},  {"Williams", ""}, {"Brown", ""},    {"Jones", ""},     {"Miller", ""},
    {"Davis", ""},    {"Wilson", ""},   {"Anderson", ""}, {"Taylor", ""},   {"Moore", ""},     {"Martin", ""},
    {"Jackson", ""},  {"Thompson", ""}, {"White", ""},    {"Harris", ""},   {"Clark", ""},     {"Lewis", ""},
    {"Robinson", ""}, {"Walker", ""},   {"Young", ""},    {"Allen", ""},    {"King", ""},      {"Wright", ""},
    {"Scott", ""},    {"Green", ""},    {"Baker", ""},    {"Adams", ""},    {"Nelson", ""},    {"Hill", ""},
    {"Campbell", ""}, {"Mitchell", ""}, {"Roberts", ""},  {"Carter", ""},   {"Phillips", ""},  {"Evans", ""},
    {"Turner", ""},   {"Parker", ""},   {"Collins", ""},  {"Edwards", ""},  {"Stewart", ""},   {"Morris", ""},
    {"Murphy", ""},   {"Cook", ""},     {"Rogers", ""},   {"Morgan", ""},   {"Cooper", ""},    {"Peterson", ""},
    {"Reed", ""},     {"Bailey", ""},   {"Kelly", ""},    {"Howard", ""},   {"Ward", ""},      {"Cox", ""},
    {"Brooks", ""},   {"Bennett", ""},  {"Gray", ""},     {"Hughes", ""},   {"Price", ""},     {"Foster", ""},
    {"O'Brien", ""},  {"O'Connor", ""}, {"McCarthy", ""}, {"Nguyen", ""},   {"Chen", ""},      {"Kim", ""},
    {"Lee", ""},      {"Wang", ""},     {"Okafor", ""},   {"Haddad", ""},   {"Kowalski", ""},  {"Rossi", ""},
};
constexpr GivenName kIndianGiven[] = {
    {"Priya", "", "", ""},   {"Anjali", "", "", ""}, {"Rahul", "", "", ""},    {"Arjun", "", "", ""},
    {"Vikram", "Vik", "", ""}, {"Sunita", "", "", ""}, {"Deepak", "", "", ""},  {"Ananya", "", "", ""},
    {"Rohan", "", "", ""},   {"Sneha", "", "", ""},  {"Karthik", "", "", ""},  {"Aditya", "Adi", "", ""},
    {"Pooja", "", "", ""},   {"Ravi", "", "", ""},   {"Suresh", "", "", ""},   {"Lakshmi", "", "", ""},
    {"Nikhil", "Nik", "", ""}, {"Divya", "", "", ""}, {"Amit", "", "", ""},    {"Kavya", "", "", ""},
};
constexpr FamilyName kIndianFamily[] = {
    {"Sharma", ""}, {"Patel", ""}, {"Iyer", ""},  {"Reddy", ""},    {"Nair", ""},       {"Gupta", ""},  {"Kumar", ""},
    {"Singh", ""},  {"Rao", ""},   {"Menon", ""}, {"Joshi", ""},    {"Mehta", ""},      {"Krishnan", ""},
    {"Agarwal", ""}, {"Desai", ""}, {"Chatterjee", ""}, {"Pillai", ""}, {"Bhat", ""}, {"Kulkarni", ""}, {"Shah", ""},
};
constexpr GivenName kGermanGiven[] = {
    {"Johannes", "Hannes", "", ""},  {"Maximilian", "Max", "", ""}, {"Alexander", "Alex", "", ""},
    {"Christian", "Chris", "", ""},  {"Stefan", "", "", ""},        {"Andreas", "Andi", "", ""},
    {"Michael", "Micha", "", ""},    {"Thomas", "Tom", "", ""},     {"Wolfgang", "Wolf", "", ""},
    {"Jürgen", "", "", ""},          {"Matthias", "Matze", "", ""}, {"Florian", "Flo", "", ""},
    {"Tobias", "Tobi", "", ""},      {"Sebastian", "Basti", "", ""}, {"Lukas", "", "", ""},
    {"Katharina", "Kathi", "", ""},  {"Stefanie", "Steffi", "", ""}, {"Julia", "Jule", "", ""},
    {"Sabine", "", "", ""},          {"Anna", "", "", ""},          {"Claudia", "", "", ""},
    {"Franziska", "Franzi", "", ""}, {"Susanne", "Susi", "", ""},   {"Lena", "", "", ""},
    {"Sophie", "", "", ""},          {"Birgit", "", "", ""},        {"Jörg", "", "", ""},
    {"Uwe", "", "", ""},             {"Dominik", "Dome", "", ""},   {"Jana", "", "", ""},
};
constexpr FamilyName kGermanFamily[] = {
    {"Müller", ""},  {"Schmidt", ""},  {"Schneider", ""}, {"Fischer", ""}, {"Weber", ""},     {"Meyer", ""},
    {"Wagner", ""},  {"Becker", ""},   {"Schulz", ""},    {"Hoffmann", ""}, {"Schäfer", ""},  {"Koch", ""},
    {"Bauer", ""},   {"Richter", ""},  {"Klein", ""},     {"Wolf", ""},     {"Schröder", ""}, {"Neumann", ""},
    {"Schwarz", ""}, {"Zimmermann", ""}, {"Braun", ""},   {"Krüger", ""},   {"Hartmann", ""}, {"Lange", ""},
    {"Huber", ""},   {"Gruber", ""},   {"Keller", ""},    {"Weiß", ""},     {"Vogel", ""},    {"Brandt", ""},
};
constexpr GivenName kFrenchGiven[] = {
    {"Nicolas", "Nico", "", ""},   {"Alexandre", "Alex", "", ""}, {"Frédéric", "Fred", "", ""},
    {"Julien", "", "", ""},        {"Guillaume", "", "", ""},     {"Thomas", "Tom", "", ""},
    {"Pierre", "", "", ""},        {"Antoine", "", "", ""},       {"Mathieu", "Mat", "", ""},
    {"Sébastien", "Seb", "", ""},  {"François", "", "", ""},      {"Laurent", "", "", ""},
    {"Olivier", "", "", ""},       {"Maxime", "Max", "", ""},     {"Camille", "", "", ""},
    {"Catherine", "Cathy", "", ""}, {"Isabelle", "Isa", "", ""},  {"Sophie", "", "", ""},
    {"Marie", "", "", ""},         {"Élodie", "", "", ""},        {"Aurélie", "", "", ""},
    {"Nathalie", "", "", ""},      {"Céline", "", "", ""},        {"Julie", "", "", ""},
    {"Claire", "", "", ""},        {"Émilie", "", "", ""},        {"Hélène", "", "", ""},
    {"Amélie", "", "", ""},        {"Valérie", "Val", "", ""},    {"Stéphanie", "Steph", "", ""},
};
constexpr FamilyName kFrenchFamily[] = {
    {"Martin", ""},  {"Bernard", ""}, {"Dubois", ""},   {"Thomas", ""},   {"Robert", ""},  {"Richard", ""},
    {"Petit", ""},   {"Durand", ""},  {"Leroy", ""},    {"Moreau", ""},   {"Simon", ""},   {"Laurent", ""},
    {"Lefèvre", ""}, {"Michel", ""},  {"Garcia", ""},   {"David", ""},    {"Bertrand", ""}, {"Roux", ""},
    {"Vincent", ""}, {"Fournier", ""}, {"Morel", ""},   {"Girard", ""},   {"André", ""},   {"Mercier", ""},
    {"Dupont", ""},  {"Lambert", ""}, {"Bonnet", ""},   {"François", ""}, {"Chevalier", ""}, {"Gauthier", ""},
};
constexpr GivenName kSpanishGiven[] = {
    {"Francisco", "Paco", "", ""},   {"José", "Pepe", "", ""},      {"Alejandro", "Álex", "", ""},
    {"Ignacio", "Nacho", "", ""},    {"Enrique", "Quique", "", ""}, {"Javier", "Javi", "", ""},
    {"Manuel", "Manolo", "", ""},    {"Antonio", "Toño", "", ""},   {"Carlos", "", "", ""},
    {"Miguel", "", "", ""},          {"David", "", "", ""},         {"Daniel", "Dani", "", ""},
    {"Pablo", "", "", ""},           {"Sergio", "", "", ""},        {"Jorge", "", "", ""},
    {"Luis", "", "", ""},            {"Fernando", "Nando", "", ""}, {"Guadalupe", "Lupe", "", ""},
    {"Dolores", "Lola", "", ""},     {"María", "", "", ""},         {"Lucía", "", "", ""},
    {"Carmen", "", "", ""},          {"Ana", "", "", ""},           {"Laura", "", "", ""},
    {"Marta", "", "", ""},           {"Elena", "", "", ""},         {"Sofía", "", "", ""},
    {"Isabel", "Isa", "", ""},       {"Valentina", "Vale", "", ""}, {"Camila", "Cami", "", ""},
};
constexpr FamilyName kSpanishFamily[] = {
    {"García", ""},   {"Rodríguez", ""}, {"González", ""}, {"Fernández", ""}, {"López", ""},   {"Martínez", ""},
    {"Sánchez", ""},  {"Pérez", ""},     {"Gómez", ""},    {"Martín", ""},    {"Jiménez", ""}, {"Ruiz", ""},
    {"Hernández", ""}, {"Díaz", ""},     {"Moreno", ""},   {"Muñoz", ""},     {"Álvarez", ""}, {"Romero", ""},
    {"Alonso", ""},   {"Gutiérrez", ""}, {"Navarro", ""},  {"Torres", ""},    {"Domínguez", ""}, {"Vázquez", ""},
    {"Ramos", ""},    {"Gil", ""},       {"Ramírez", ""},  {"Serrano", ""},   {"Blanco", ""},  {"Molina", ""},
};
constexpr GivenName kJapaneseGiven[] = {
    {"Hiroshi", "", "", "博"},   {"Takashi", "", "", "隆"},  {"Kenji", "", "", "健二"},  {"Satoshi", "", "", "聡"},
    {"Yuki", "", "", "由紀"},    {"Daisuke", "", "", "大輔"}, {"Haruto", "", "", "陽翔"}, {"Sho", "", "", "翔"},
    {"Kenta", "", "", "健太"},   {"Naoki", "", "", "直樹"},  {"Takumi", "", "", "拓海"}, {"Ryo", "", "", "亮"},
    {"Makoto", "", "", "誠"},    {"Akira", "", "", "明"},    {"Kazuki", "", "", "一輝"}, {"Yumi", "", "", "由美"},
    {"Keiko", "", "", "恵子"},   {"Akiko", "", "", "明子"},  {"Naomi", "", "", "直美"},  {"Yoko", "", "", "洋子"},
    {"Mika", "", "", "美香"},    {"Aya", "", "", "綾"},      {"Sakura", "", "", "さくら"}, {"Haruka", "", "", "遥"},
    {"Misaki", "", "", "美咲"},  {"Emi", "", "", "恵美"},    {"Rie", "", "", "理恵"},    {"Tomoko", "", "", "智子"},
};
constexpr FamilyName kJapaneseFamily[] = {
    {"Sato", "佐藤"},      {"Suzuki", "鈴木"},   {"Takahashi", "高橋"}, {"Tanaka", "田中"},   {"Watanabe", "渡辺"},
    {"Ito", "伊藤"},       {"Yamamoto", "山本"}, {"Nakamura", "中村"},  {"Kobayashi", "小林"}, {"Kato", "加藤"},
    {"Yoshida", "吉田"},   {"Yamada", "山田"},   {"Sasaki", "佐々木"},  {"Yamaguchi", "山口"}, {"Matsumoto", "松本"},
    {"Inoue", "井上"},     {"Kimura", "木村"},   {"Hayashi", "林"},     {"Shimizu", "清水"},   {"Mori", "森"},
};

constexpr Culture kCultures[] = {
    {"anglo", Lang::kEn, kAngloGiven, kAngloFamily},        {"indian", Lang::kEn, kIndianGiven, kIndianFamily},
    {"german", Lang::kDe, kGermanGiven, kGermanFamily},     {"french", Lang::kFr, kFrenchGiven, kFrenchFamily},
    {"spanish", Lang::kEs, kSpanishGiven, kSpanishFamily},  {"japanese", Lang::kJa, kJapaneseGiven, kJapaneseFamily},
};

// ---- Places ---------------------------------------------------------------

constexpr sv kNyc[] = {"New York, NY", "NYC", "New York", "Brooklyn, NY", "NY"};
constexpr sv kBoston[] = {"Boston, MA", "Boston", "Cambridge, MA"};
constexpr sv kAtlanta[] = {"Atlanta, GA", "ATL", "Atlanta"};
constexpr sv kRaleigh[] = {"Raleigh, NC", "RTP", "Raleigh-Durham"};
constexpr sv kDc[] = {"Washington, DC", "DC", "DMV"};
constexpr sv kToronto[] = {"Toronto", "Toronto, ON", "Toronto, Canada"};
constexpr City kUsEast[] = {
    {"New York", "NY", "US", "United States", 40.7128, -74.0060, kNyc},
    {"Boston", "MA", "US", "United States", 42.3601, -71.0589, kBoston},
    {"Atlanta", "GA", "US", "United States", 33.7490, -84.3880, kAtlanta},
    {"Raleigh", "NC", "US", "United States", 35.7796, -78.6382, kRaleigh},
    {"Washington", "DC", "US", "United States", 38.9072, -77.0369, kDc},
    {"Toronto", "ON", "CA", "Canada", 43.6532, -79.3832, kToronto},
};
constexpr sv kAustin[] = {"Austin, TX", "ATX", "Austin", "Texas"};
constexpr sv kChicago[] = {"Chicago, IL", "Chicago", "Chi-town"};
constexpr sv kDallas[] = {"Dallas, TX", "DFW", "Dallas"};
constexpr sv kDenver[] = {"Denver, CO", "Denver", "Colorado"};
constexpr sv kMinneapolis[] = {"Minneapolis, MN", "Twin Cities"};
constexpr City kUsCentral[] = {
    {"Austin", "TX", "US", "United States", 30.2672, -97.7431, kAustin},
    {"Chicago", "IL", "US", "United States", 41.8781, -87.6298, kChicago},
    {"Dallas", "TX", "US", "United States", 32.7767, -96.7970, kDallas},
    {"Denver", "CO", "US", "United States", 39.7392, -104.9903, kDenver},
    {"Minneapolis", "MN", "US", "United States", 44.9778, -93.2650, kMinneapolis},
};
constexpr sv kSf[] = {"San Francisco, CA", "SF", "Bay Area", "San Francisco"};
constexpr sv kSeattle[] = {"Seattle, WA", "Seattle", "PNW"};
constexpr sv kPortland[] = {"Portland, OR", "PDX"};
constexpr sv kLa[] = {"Los Angeles, CA", "LA"};
constexpr sv kSanJose[] = {"San Jose, CA", "Silicon Valley", "South Bay"};
constexpr City kUsWest[] = {
    {"San Francisco", "CA", "US", "United States", 37.7749, -122.4194, kSf},
    {"Seattle", "WA", "US", "United States", 47.6062, -122.3321, kSeattle},
    {"Portland", "OR", "US", "United States", 45.5152, -122.6784, kPortland},
    {"Los Angeles", "CA", "US", "United States", 34.0522, -118.2437, kLa},
    {"San Jose", "CA", "US", "United States", 37.3382, -121.8863, kSanJose},
};
constexpr sv kLondon[] = {"London, UK", "London", "London, England", "LDN"};
constexpr sv kManchester[] = {"Manchester, UK", "Manchester"};
constexpr sv kEdinburgh[] = {"Edinburgh, Scotland", "Edinburgh"};
constexpr sv kBristol[] = {"Bristol, UK", "Bristol"};
constexpr sv kDublin[] = {"Dublin, Ireland", "Dublin"};
constexpr City kUk[] = {
    {"London", "", "GB", "United Kingdom", 51.5072, -0.1276, kLondon},
    {"Manchester", "", "GB", "United Kingdom", 53.4808, -2.2426, kManchester},
    {"Edinburgh", "", "GB", "United Kingdom", 55.9533, -3.1883, kEdinburgh},
    {"Bristol", "", "GB", "United Kingdom", 51.4545, -2.5879, kBristol},
    {"Dublin", "", "IE", "Ireland", 53.3498, -6.2603, kDublin},
};
constexpr sv kBengaluru[] = {"Bangalore", "Bengaluru, India", "Bengaluru"};
constexpr sv kPune[] = {"Pune, India", "Pune"};
constexpr sv kHyderabad[] = {"Hyderabad", "Hyderabad, India"};
constexpr sv kMumbai[] = {"Mumbai", "Mumbai, India"};
constexpr City kIndia[] = {
    {"Bengaluru", "KA", "IN", "India", 12.9716, 77.5946, kBengaluru},
    {"Pune", "MH", "IN", "India", 18.5204, 73.8567, kPune},
    {"Hyderabad", "TG", "IN", "India", 17.3850, 78.4867, kHyderabad},
    {"Mumbai", "MH", "IN", "India", 19.0760, 72.8777, kMumbai},
};
constexpr sv kMunich[] = {"München", "Munich, Germany", "München, Deutschland", "Munich"};
constexpr sv kBerlin[] = {"Berlin", "Berlin, Deutschland", "Berlin, Germany"};
constexpr sv kFrankfurt[] = {"Frankfurt am Main", "Frankfurt", "FFM"};
constexpr sv kHamburg[] = {"Hamburg", "Hamburg, Germany"};
constexpr sv kCologne[] = {"Köln", "Cologne, Germany"};
constexpr sv kVienna[] = {"Wien", "Vienna, Austria"};
constexpr sv kZurich[] = {"Zürich", "Zurich, Switzerland"};
constexpr City kDach[] = {
    {"München", "Bayern", "DE", "Germany", 48.1351, 11.5820, kMunich},
    {"Berlin", "Berlin", "DE", "Germany", 52.5200, 13.4050, kBerlin},
    {"Frankfurt am Main", "Hessen", "DE", "Germany", 50.1109, 8.6821, kFrankfurt},
    {"Hamburg", "Hamburg", "DE", "Germany", 53.5511, 9.9937, kHamburg},
    {"Köln", "Nordrhein-Westfalen", "DE", "Germany", 50.9375, 6.9603, kCologne},
    {"Wien", "", "AT", "Austria", 48.2082, 16.3738, kVienna},
    {"Zürich", "", "CH", "Switzerland", 47.3769, 8.5417, kZurich},
};
constexpr sv kParis[] = {"Paris, France", "Paris", "Île-de-France"};
constexpr sv kLyon[] = {"Lyon", "Lyon, France"};
constexpr sv kToulouse[] = {"Toulouse", "Toulouse, France"};
constexpr sv kNantes[] = {"Nantes, France", "Nantes"};
constexpr sv kBrussels[] = {"Bruxelles", "Brussels, Belgium"};
constexpr sv kMontreal[] = {"Montréal, QC", "Montreal"};
constexpr City kFrance[] = {
    {"Paris", "", "FR", "France", 48.8566, 2.3522, kParis},
    {"Lyon", "", "FR", "France", 45.7640, 4.8357, kLyon},
    {"Toulouse", "", "FR", "France", 43.6047, 1.4442, kToulouse},
    {"Nantes", "", "FR", "France", 47.2184, -1.5536, kNantes},
    {"Bruxelles", "", "BE", "Belgium", 50.8503, 4.3517, kBrussels},
    {"Montréal", "QC", "CA", "Canada", 45.5019, -73.5674, kMontreal},
};
constexpr sv kMadrid[] = {"Madrid", "Madrid, España"};
constexpr sv kBarcelona[] = {"Barcelona", "Barcelona, España", "BCN"};
constexpr sv kValencia[] = {"Valencia", "València"};
constexpr sv kSevilla[] = {"Sevilla", "Sevilla, España"};
constexpr City kSpain[] = {
    {"Madrid", "", "ES", "Spain", 40.4168, -3.7038, kMadrid},
    {"Barcelona", "", "ES", "Spain", 41.3874, 2.1686, kBarcelona},
    {"Valencia", "", "ES", "Spain", 39.4699, -0.3763, kValencia},
    {"Sevilla", "", "ES", "Spain", 37.3891, -5.9845, kSevilla},
};
constexpr sv kMexico[] = {"Ciudad de México", "CDMX", "Mexico City"};
constexpr sv kMonterrey[] = {"Monterrey, NL", "Monterrey"};
constexpr sv kBogota[] = {"Bogotá, Colombia", "Bogotá"};
constexpr sv kBuenosAires[] = {"Buenos Aires", "CABA"};
constexpr sv kSantiago[] = {"Santiago de Chile", "Santiago"};
constexpr City kLatam[] = {
    {"Ciudad de México", "CDMX", "MX", "Mexico", 19.4326, -99.1332, kMexico},
    {"Monterrey", "NL", "MX", "Mexico", 25.6866, -100.3161, kMonterrey},
    {"Bogotá", "", "CO", "Colombia", 4.7110, -74.0721, kBogota},
    {"Buenos Aires", "", "AR", "Argentina", -34.6037, -58.3816, kBuenosAires},
    {"Santiago", "", "CL", "Chile", -33.4489, -70.6693, kSantiago},
};
constexpr sv kTokyo[] = {"東京", "東京都", "Tokyo, Japan", "Tokyo"};
constexpr sv kOsaka[] = {"大阪", "大阪府", "Osaka"};
constexpr sv kYokohama[] = {"横浜", "Yokohama"};
constexpr sv kFukuoka[] = {"福岡", "Fukuoka"};
constexpr sv kNagoya[] = {"名古屋", "Nagoya"};
constexpr City kJapan[] = {
    {"Tokyo", "", "JP", "Japan", 35.6762, 139.6503, kTokyo},
    {"Osaka", "", "JP", "Japan", 34.6937, 135.5023, kOsaka},
    {"Yokohama", "", "JP", "Japan", 35.4437, 139.6380, kYokohama},
    {"Fukuoka", "", "JP", "Japan", 33.5904, 130.4017, kFukuoka},
    {"Nagoya", "", "JP", "Japan", 35.1815, 136.9066, kNagoya},
};

constexpr Region kRegions[] = {
    {"us-east", -300, 0, 0.24, kUsEast},   {"us-central", -360, 0, 0.10, kUsCentral},
    {"us-west", -480, 0, 0.14, kUsWest},   {"uk-ie", 0, 0, 0.10, kUk},
    {"india", 330, 1, 0.06, kIndia},       {"dach", 60, 2, 0.12, kDach},
    {"france", 60, 3, 0.08, kFrance},      {"spain", 60, 4, 0.05, kSpain},
    {"latam", -360, 4, 0.04, kLatam},      {"japan", 540, 5, 0.07, kJapan},
};

constexpr sv kJunkLocations[] = {
    "", "", "", "", "", "", "Earth", "Planet Earth", "Worldwide", "the cloud ☁️", "localhost", "Remote",
    "Everywhere", "🌍", "Internet", "she/her", "he/him", "127.0.0.1", "/dev/null", "somewhere in the stack",
    "Wherever the Wi-Fi is", "On call 📟",
};

// ---- Companies and accounts ----------------------------------------------

constexpr sv kCompanyPrefixes[] = {"Kel",  "Dra", "Vex", "Quor", "Zen",  "Oru", "Tal", "Nyx",  "Ber", "Cal",
                                   "Vor",  "Sol", "Lum", "Pry",  "Strat", "Hel", "Ark", "Vel",  "Zyl", "Mer",
                                   "Tor",  "Ond", "Fal", "Gry",  "Ixo",  "Jov", "Kry", "Lorn", "Myr", "Pel"};
constexpr sv kCompanySuffixes[] = {"vora", "ynth", "quell", "orvo", "zari", "brix", "lume", "qent",
                                   "veth", "ondo", "azzo", "ixel", "umbra", "elde", "oxa", "ardt"};

constexpr sv kAccountFirst[] = {
    "Brightwater", "Bluepeak",  "Ironbridge", "Silverline", "Redfern",   "Oakmont",   "Clearview", "Stonegate",
    "Riverbend",   "Westhaven", "Harborview", "Pinecrest",  "Goldleaf",  "Cedarpoint", "Lakeshore", "Fairmount",
    "Summitridge", "Kestrel",   "Larkspur",   "Marlow",     "Thornbury", "Ashcombe",  "Elmstead",  "Foxglove",
    "Hollybrook",  "Kingsbury", "Linden",     "Maplecroft", "Netherby",  "Oakhurst",  "Primrose",  "Quillan",
    "Rowan",       "Sablewood", "Tamarind",   "Valemont",   "Wexford",   "Yarrow",    "Alpenglow", "Rheinfeld",
    "Isarwerk",    "Elbmark",   "Loiret",     "Garonne",    "Azurine",   "Sierra Alta", "Río Claro", "Costa Verde",
    "Sakuragawa",  "Minato",
};
constexpr sv kAccountSecond[] = {"Logistics", "Health",    "Bank",      "Insurance", "Energy",     "Foods",
                                 "Retail",    "Media",     "Labs",      "Manufacturing", "Telecom", "Capital",
                                 "Pharma",    "Freight",   "Utilities", "University", "Hotels",    "Motors",
                                 "Systems",   "Partners",  "Analytics", "Airlines",  "Biotech",    "Payments"};

constexpr sv kIndustries[] = {"Banking",       "Biotechnology", "Chemicals",       "Communications", "Construction",
                              "Consulting",    "Education",     "Electronics",     "Energy",         "Engineering",
                              "Entertainment", "Finance",       "Food & Beverage", "Government",     "Healthcare",
                              "Hospitality",   "Insurance",     "Machinery",       "Manufacturing",  "Media",
                              "Not For Profit", "Retail",       "Shipping",        "Technology",     "Telecommunications",
                              "Transportation", "Utilities",    "Other"};

// ---- Market topics ----------------------------------------------------------

constexpr sv kWordsHybrid[] = {"Fabric", "Atlas", "Orbit", "Meridian", "Bridge"};
constexpr sv kWordsStorage[] = {"Vault", "Harbor", "Quarry", "Cellar", "Silo"};
constexpr sv kWordsSecurity[] = {"Sentinel", "Warden", "Aegis", "Bastion", "Rampart"};
constexpr sv kWordsAiops[] = {"Pulse", "Beacon", "Augur", "Cortex", "Compass"};
constexpr sv kWordsObservability[] = {"Lens", "Prism", "Scope", "Lantern", "Periscope"};
constexpr sv kWordsBackup[] = {"Keystone", "Tide", "Anchor", "Haven", "Ember"};
constexpr sv kWordsKubernetes[] = {"Bollard", "Flotilla", "Kelp", "Mast", "Rudder"};
constexpr sv kWordsEdge[] = {"Relay", "Lattice", "Outpost", "Frontier", "Spoke"};

constexpr Topic kTopics[] = {
    {"hybrid cloud",
     {"hybrid cloud", "Hybrid Cloud", "cloud hybride", "nube híbrida", "ハイブリッドクラウド"},
     "hybridcloud",
     kWordsHybrid},
    {"storage", {"object storage", "Storage", "stockage objet", "almacenamiento", "ストレージ"}, "storage", kWordsStorage},
    {"security", {"zero trust", "IT-Sicherheit", "cybersécurité", "ciberseguridad", "セキュリティ"}, "cybersecurity",
     kWordsSecurity},
    {"AIOps", {"AIOps", "AIOps", "AIOps", "AIOps", "AIOps"}, "AIOps", kWordsAiops},
    {"observability",
     {"observability", "Observability", "observabilité", "observabilidad", "オブザーバビリティ"},
     "observability",
     kWordsObservability},
    {"backup", {"disaster recovery", "Backup", "sauvegarde", "copias de seguridad", "バックアップ"}, "backup",
     kWordsBackup},
    {"Kubernetes", {"Kubernetes", "Kubernetes", "Kubernetes", "Kubernetes", "Kubernetes"}, "kubernetes",
     kWordsKubernetes},
    {"edge computing",
     {"edge computing", "Edge Computing", "edge computing", "computación en el borde", "エッジコンピューティング"},
     "edgecomputing",
     kWordsEdge},
};

// ---- Slot fillers ------------------------------------------------------------

constexpr sv kTitlesEn[] = {"Storage Engineer", "Cloud Architect",  "Site Reliability Engineer", "DevOps Engineer",
                            "IT Director",      "VP of Infrastructure", "CISO",                  "Security Analyst",
                            "Platform Engineer", "Systems Administrator", "CTO",                 "Head of IT Operations",
                            "Data Engineer",    "Infrastructure Manager", "Solutions Architect", "Network Engineer",
                            "Director of Engineering", "IT Manager",   "Backup Administrator",  "Principal Engineer"};
constexpr sv kTitlesDe[] = {"Leiter IT", "Systemadministrator", "Cloud-Architekt", "IT-Sicherheitsbeauftragter",
                            "DevOps Engineer", "Teamleiter Infrastruktur", "CIO", "Rechenzentrumsleiter"};
constexpr sv kTitlesFr[] = {"Responsable infrastructure", "Architecte cloud", "Ingénieur DevOps", "DSI",
                            "Administrateur systèmes", "RSSI", "Chef de projet IT", "Ingénieur stockage"};
constexpr sv kTitlesEs[] = {"Arquitecto de nube", "Ingeniero DevOps", "Director de TI", "Administrador de sistemas",
                            "Responsable de seguridad", "Jefe de infraestructura", "CTO", "Ingeniera de datos"};
constexpr sv kTitlesJa[] = {"インフラエンジニア", "情報システム部長", "クラウドアーキテクト", "SRE",
                            "セキュリティエンジニア", "CTO", "システム管理者", "データエンジニア"};

constexpr sv kFeaturesEn[] = {"snapshots", "replication", "deduplication", "the dashboard", "the API", "the CLI",
                              "RBAC", "SSO integration", "the Terraform provider", "tiering", "encryption at rest",
                              "alerting", "anomaly detection", "cost reports", "multi-region failover",
                              "the upgrade path", "licensing", "pricing", "the docs", "the support team",
                              "immutable backups", "the Kubernetes operator", "audit logs", "the mobile app"};
constexpr sv kFeaturesDe[] = {"die Snapshots", "die Replikation", "die Deduplizierung", "das Dashboard", "die API",
                              "das CLI", "die Verschlüsselung", "das Alerting", "die Lizenzierung", "der Support",
                              "die Doku", "das Rechtemanagement"};
constexpr sv kFeaturesFr[] = {"les snapshots", "la réplication", "la déduplication", "le tableau de bord", "l'API",
                              "le chiffrement", "les alertes", "la licence", "le support", "la doc",
                              "la gestion des droits", "le CLI"};
constexpr sv kFeaturesEs[] = {"los snapshots", "la replicación", "la deduplicación", "el panel", "la API",
                              "el cifrado", "las alertas", "el licenciamiento", "el soporte", "la documentación",
                              "el control de accesos", "la CLI"};
constexpr sv kFeaturesJa[] = {"スナップショット", "レプリケーション", "重複排除", "ダッシュボード", "API",
                              "暗号化", "アラート", "ライセンス", "サポート", "ドキュメント", "権限管理", "CLI"};

constexpr sv kIssuesEn[] = {"latency spikes", "failed backups", "login errors", "a memory leak", "sync failures",
                            "timeouts on the API", "a broken upgrade", "surprise charges on the bill", "500 errors",
                            "painfully slow restores", "dropped connections", "corrupted snapshots"};
constexpr sv kIssuesDe[] = {"Latenzspitzen", "fehlgeschlagene Backups", "Login-Fehler", "Timeouts bei der API",
                            "ein kaputtes Upgrade", "extrem langsame Restores", "500er-Fehler"};
constexpr sv kIssuesFr[] = {"des pics de latence", "des sauvegardes échouées", "des erreurs de connexion",
                            "des timeouts sur l'API", "une mise à jour cassée", "des restaurations très lentes"};
constexpr sv kIssuesEs[] = {"picos de latencia", "copias fallidas", "errores de inicio de sesión",
                            "timeouts en la API", "una actualización rota", "restauraciones lentísimas"};
constexpr sv kIssuesJa[] = {"レイテンシの急増", "バックアップの失敗", "ログインエラー", "APIのタイムアウト",
                            "アップデートの不具合", "リストアが遅すぎる問題"};

constexpr sv kDurationsEn[] = {"two hours", "all morning", "since yesterday", "30 minutes", "three days",
                               "half the night", "an hour"};
constexpr sv kDurationsDe[] = {"zwei Stunden", "den ganzen Vormittag", "seit gestern", "30 Minuten", "drei Tage"};
constexpr sv kDurationsFr[] = {"deux heures", "toute la matinée", "depuis hier", "30 minutes", "trois jours"};
constexpr sv kDurationsEs[] = {"dos horas", "toda la mañana", "desde ayer", "30 minutos", "tres días"};
constexpr sv kDurationsJa[] = {"2時間", "午前中ずっと", "昨日から", "30分", "3日間"};

constexpr sv kEmojiPos[] = {"🚀", "🎉", "👏", "💯", "🙌", "✅", "😍", "🔥", "👍", "✨"};
constexpr sv kEmojiNeg[] = {"😡", "😤", "🙄", "😩", "🤦", "💀", "👎", "😞", "🔥"};
constexpr sv kEmojiNeu[] = {"🤔", "👀", "📊", "☁️", "💡", "🧵", "👇"};

constexpr sv kGenericHashtags[] = {"devops", "sysadmin", "cloud", "infosec", "SRE", "datacenter", "ITOps",
                                   "CloudNative", "tech", "CIO", "opensource", "homelab"};

constexpr sv kMastodonInstances[] = {"toot.example", "mastodon.example", "social.example", "infosec.example",
                                     "techhub.example", "fediverse.example"};
constexpr sv kSubreddits[] = {"sysadmin", "devops", "storage", "homelab", "kubernetes", "netsec", "ITManagers",
                              "dataengineering"};

constexpr sv kBlogWords[] = {"stack", "ops", "byte", "kernel", "yaml", "latency", "packet", "cluster",
                             "uptime", "cold", "rack", "queue", "cloud", "data", "infra", "shell"};
constexpr sv kBlogSecondWords[] = {"notes", "pilgrim", "letters", "journal", "craft", "folk", "wrangler",
                                   "pusher", "cast", "log", "diaries", "musings", "dispatch", "field-guide"};
constexpr sv kNewsWordsEn[] = {"Datacenter News", "CloudWire News", "IT Business News", "Enterprise Tech News",
                               "Infra News Daily", "SecOps News"};
constexpr sv kNewsWordsDe[] = {"Rechenzentrum News", "IT-Markt News"};
constexpr sv kNewsWordsFr[] = {"Cloud News France", "InfoDSI News"};
constexpr sv kNewsWordsEs[] = {"Nube News", "TI Empresas News"};
constexpr sv kNewsWordsJa[] = {"IT News Japan", "クラウド News"};

}  // namespace

std::span<const Culture> Cultures() { return kCultures; }
std::span<const Region> Regions() { return kRegions; }
std::span<const Topic> Topics() { return kTopics; }
std::span<const std::string_view> JunkLocations() { return kJunkLocations; }
std::span<const std::string_view> CompanyPrefixes() { return kCompanyPrefixes; }
std::span<const std::string_view> CompanySuffixes() { return kCompanySuffixes; }
std::span<const std::string_view> AccountFirstWords() { return kAccountFirst; }
std::span<const std::string_view> AccountSecondWords() { return kAccountSecond; }
std::span<const std::string_view> Industries() { return kIndustries; }

std::span<const std::string_view> JobTitles(Lang lang) {
  switch (lang) {
    case Lang::kDe: return kTitlesDe;
    case Lang::kFr: return kTitlesFr;
    case Lang::kEs: return kTitlesEs;
    case Lang::kJa: return kTitlesJa;
    default: return kTitlesEn;
  }
}
std::span<const std::string_view> Features(Lang lang) {
  switch (lang) {
    case Lang::kDe: return kFeaturesDe;
    case Lang::kFr: return kFeaturesFr;
    case Lang::kEs: return kFeaturesEs;
    case Lang::kJa: return kFeaturesJa;
    default: return kFeaturesEn;
  }
}
std::span<const std::string_view> Issues(Lang lang) {
  switch (lang) {
    case Lang::kDe: return kIssuesDe;
    case Lang::kFr: return kIssuesFr;
    case Lang::kEs: return kIssuesEs;
    case Lang::kJa: return kIssuesJa;
    default: return kIssuesEn;
  }
}
std::span<const std::string_view> Durations(Lang lang) {
  switch (lang) {
    case Lang::kDe: return kDurationsDe;
    case Lang::kFr: return kDurationsFr;
    case Lang::kEs: return kDurationsEs;
    case Lang::kJa: return kDurationsJa;
    default: return kDurationsEn;
  }
}
std::span<const std::string_view> Emoji(Sentiment s) {
  return s == Sentiment::kPositive ? std::span<const sv>(kEmojiPos)
                                   : (s == Sentiment::kNegative ? std::span<const sv>(kEmojiNeg) : kEmojiNeu);
}
std::span<const std::string_view> GenericHashtags() { return kGenericHashtags; }
std::span<const std::string_view> MastodonInstances() { return kMastodonInstances; }
std::span<const std::string_view> Subreddits() { return kSubreddits; }
std::span<const std::string_view> BlogWords() { return kBlogWords; }
std::span<const std::string_view> BlogSecondWords() { return kBlogSecondWords; }
std::span<const std::string_view> NewsWords(Lang lang) {
  switch (lang) {
    case Lang::kDe: return kNewsWordsDe;
    case Lang::kFr: return kNewsWordsFr;
    case Lang::kEs: return kNewsWordsEs;
    case Lang::kJa: return kNewsWordsJa;
    default: return kNewsWordsEn;
  }
}

}  // namespace earshot::sim
