#include "store/sqlite/index_queue.h"

#include <algorithm>
#include <utility>

namespace earshot::store::sqlite {

void IndexQueue::Insert(int64_t key, std::string_view title, std::string_view text) {
  ops_.push_back(Op{key, static_cast<uint32_t>(ops_.size()), false, title, text});
}

void IndexQueue::Remove(int64_t key, std::string title, std::string text) {
  std::string_view t = owned_.emplace_back(std::move(title));
  std::string_view x = owned_.emplace_back(std::move(text));
  ops_.push_back(Op{key, static_cast<uint32_t>(ops_.size()), true, t, x});
}

Status IndexQueue::Apply(Stmt& insert, Stmt& remove) {
  auto before = [](const Op& a, const Op& b) { return a.key != b.key ? a.key < b.key : a.seq < b.seq; };
  // A stream in time order arrives sorted: skip the sort then.
  if (!std::is_sorted(ops_.begin(), ops_.end(), before)) std::sort(ops_.begin(), ops_.end(), before);
  Status st = Status::Ok();
  for (const Op& op : ops_) {
    Stmt& s = op.remove ? remove : insert;
    s.BindInt(1, op.key);
    s.BindText(2, op.title);
    s.BindText(3, op.text);
    st = s.Run();
    if (!st.ok()) break;
  }
  Clear();
  return st;
}

void IndexQueue::Clear() {
  ops_.clear();
  owned_.clear();
}

}  // namespace earshot::store::sqlite
