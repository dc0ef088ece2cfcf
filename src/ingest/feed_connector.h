// The "feed" connector: RSS 2.0 (and 0.9x), RSS 1.0 (RDF) and Atom 1.0
// documents, one Mention per <item> or <entry>.
//
// Real feeds are often broken, so the connector is lenient where it can be
// without guessing:
//  - Encodings: the XML declaration's encoding is honoured (UTF-8 with or
//    without BOM, US-ASCII, ISO-8859-1, Windows-1252; ISO-8859-1 text with
//    bytes 0x80-0x9F is read as Windows-1252, as browsers do); any other
//    declared encoding, and UTF-16/32, reject the document with a message
//    naming it.
//  - C0 control characters that XML forbids are removed before parsing, and
//    ill-formed UTF-8 becomes U+FFFD.
//  - An item that is not well-formed XML is cut out and reported as a reject
//    naming its line and the parser's message; the document is parsed again
//    without it, so the items after it survive. Items that a break outside
//    any item hides from the parser are parsed one by one. A feed cut off in
//    the middle of an item keeps every complete item before the cut.
//
// Field mapping (Mention <- RSS / Atom):
//   url          feedburner:origLink, else link, else a permalink guid (RSS)
//                / link rel=alternate, else an http(s) atom:id (Atom)
//   external_id  guid or atom:id when it is an http(s), tag: or urn: URI,
//                else "<site>/<guid>"; else the url; else
//                "<site>/<hex Hash64(title + "\n" + date)>"
//   title        title, entity-decoded, tags stripped, on one line
//   text, links  content:encoded > atom:content > description / summary,
//                through ParseHtmlContent (Atom type="text" stays text; an
//                Atom construct without a type is read as HTML when it
//                holds HTML tags)
//   author       author / dc:creator; atom:author name and uri
//   created_at   pubDate, dc:date; atom:published, atom:updated; else the
//                channel's lastBuildDate / pubDate / dc:date / updated
//   language     xml:lang, dc:language, the channel's language ("en-US"->"en")
//   channel      ctx.channel, else forum (Reddit, Stack Exchange, HN), news
//                (title or host says "news", known outlets, Google News
//                namespace), else blog
//   replies      slash:comments, thr:total
// Categories are topics chosen by the publisher, not hashtags: hashtags
// stay empty.
#pragma once

#include <memory>
#include <string_view>

#include "ingest/connector.h"

namespace earshot::ingest {

// Reads RSS and Atom feeds. Stateless: one instance may parse many
// documents, but not from several threads at once.
class FeedConnector : public Connector {
 public:
  // Returns "feed".
  std::string_view Name() const override { return "feed"; }
  // Returns Framing::kDocument: a feed is parsed as a whole.
  Framing framing() const override { return Framing::kDocument; }
  // Parses one feed document. Reports each item in document order; an item
  // that cannot become a Mention (no date anywhere, over
  // ctx.max_record_bytes, not well-formed, nothing in it) is rejected with
  // the field that failed. Returns InvalidArgument, naming ctx.file and the
  // problem, when the input is not a feed at all: empty, not XML, an HTML
  // page, an unsupported encoding, a root element other than rss, rdf:RDF,
  // feed or entry, or XML too broken to reach any item.
  Status Parse(std::string_view input, const ParseContext& ctx, RecordSink& sink) override;
};

// Returns a new FeedConnector.
std::unique_ptr<Connector> NewFeedConnector();

}  // namespace earshot::ingest
