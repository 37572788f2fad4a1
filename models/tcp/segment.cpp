// Segment::to_string (see segment.hpp).
#include "models/tcp/segment.hpp"

namespace synlab::tcp {

std::string Segment::to_string() const {
  std::string out = std::to_string(src_port) + " > " + std::to_string(dst_port) + " [" +
                    flags.to_string() + "] seq=" + std::to_string(seq.value());
  if (flags.has(Flag::Ack)) out += " ack=" + std::to_string(ack.value());
  out += " win=" + std::to_string(window);
  std::string opts;
  auto add = [&opts](const std::string& o) { opts += (opts.empty() ? "" : ",") + o; };
  if (options.mss) add("mss " + std::to_string(*options.mss));
  if (options.sack_permitted) add("sackOK");
  if (options.timestamps)
    add("TS val " + std::to_string(options.timestamps->tsval) + " ecr " +
        std::to_string(options.timestamps->tsecr));
  if (options.window_scale) add("wscale " + std::to_string(*options.window_scale));
  if (!opts.empty()) out += " <" + opts + ">";
  return out + " len=" + std::to_string(payload_bytes);
}

}  // namespace synlab::tcp
