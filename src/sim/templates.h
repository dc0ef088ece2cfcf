// Sentence templates in five languages. A template is "<header>|<text>":
// the header is the sentiment (+, -, 0) followed by intent letters
// (q question, r recommendation request, c comparison, k complaint, p praise,
// j job post, s spam); the text holds slots in braces:
//   {P} the subject product      {C} its company      {@C} the company's handle
//   {@S} its support handle      {X} another company's product  {XC} that company
//   {T} a market topic term      {F} a product feature          {I} a problem
//   {D} a duration   {R} a job title   {CITY} a city   {V} a version
//   {N} a number 2-9 {NN} a number 10-95   {L} a link   {E} an emoji
//   {TITLE} the title of a shared article  {YEAR} the current year
#pragma once

#include <span>
#include <string_view>

#include "sim/model.h"

namespace earshot::sim {

// A short post (microblog, reply, comment) or the first sentence of a longer one.
struct PostTemplateDef {
  Lang lang;
  Act act;
  std::string_view spec;
};
// A headline for a blog or news article, forum thread, review or video.
struct TitleTemplateDef {
  Lang lang;
  Act act;
  std::string_view spec;
};
// A sentence that pads the body of an article, by sentiment (header + or - or 0).
struct BodyTemplateDef {
  Lang lang;
  std::string_view spec;
};
// A sentence that may follow a short post ("Thoughts?", "Ugh.").
struct TailTemplateDef {
  Lang lang;
  std::string_view spec;
};

// Return the template tables (static storage); TextGenerator compiles them once.
std::span<const PostTemplateDef> PostTemplates();
std::span<const TitleTemplateDef> TitleTemplates();
std::span<const BodyTemplateDef> BodyTemplates();
std::span<const TailTemplateDef> TailTemplates();

}  // namespace earshot::sim
