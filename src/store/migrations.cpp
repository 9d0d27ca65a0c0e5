#include "store/migrations.h"

#include <sodium.h>

namespace malchin::store {

std::string Migration::Checksum() const {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(sql.data()),
                     sql.size());
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : hash) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace malchin::store
