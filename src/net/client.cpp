#include "net/client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <utility>  // Before Asio (g++ 12 and std::exchange).

namespace malchin::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class Client::Impl {
 public:
  Impl(std::string host, uint16_t port, std::chrono::milliseconds timeout)
      : host_(std::move(host)), port_(port), timeout_(timeout) {}

  Status Connect() {
    if (stream_ && stream_->socket().is_open()) return Status::Ok();
    stream_.emplace(ioc_);
    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(host_, std::to_string(port_), ec);
    if (!ec) {
      stream_->expires_after(timeout_);
      stream_->connect(results, ec);
    }
    if (ec) {
      stream_.reset();
      return Status::Unavailable("cannot connect to " + host_ + ":" +
                                 std::to_string(port_) + ": " + ec.message());
    }
    return Status::Ok();
  }

  Result<http::Response> Send(
      const std::string& method, const std::string& target,
      const std::string& body,
      const std::vector<std::pair<std::string, std::string>>& headers) {
    MALCHIN_RETURN_IF_ERROR(Connect());
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, host_);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    beast::error_code ec;
    stream_->expires_after(timeout_);
    bhttp::write(*stream_, req, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(1ull << 32);
    if (method == "HEAD") parser.skip(true);
    if (!ec) bhttp::read(*stream_, buffer_, parser, ec);
    if (ec) {
      stream_.reset();
      buffer_.clear();
      // The path only: a query may hold credentials or personal data.
      return Status::Unavailable(method + " " +
                                 target.substr(0, target.find('?')) + ": " +
                                 ec.message());
    }
    auto res = parser.release();
    http::Response out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
      out.headers.emplace_back(std::string(f.name_string()),
                               std::string(f.value()));
    }
    out.body = std::move(res.body());
    if (!res.keep_alive()) {
      Close();
    }
    return out;
  }

  Result<std::string> SendRaw(const std::string& bytes) {
    MALCHIN_RETURN_IF_ERROR(Connect());
    beast::error_code ec;
    stream_->expires_after(timeout_);
    asio::write(stream_->socket(), asio::buffer(bytes), ec);
    std::string out;
    char buf[4096];
    for (;;) {
      size_t n = stream_->read_some(asio::buffer(buf), ec);
      out.append(buf, n);
      if (ec) break;
    }
    Close();
    return out;
  }

  void Close() {
    if (stream_) {
      beast::error_code ec;
      stream_->socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_->socket().close(ec);
      stream_.reset();
    }
    buffer_.clear();
  }

 private:
  std::string host_;
  uint16_t port_;
  std::chrono::milliseconds timeout_;
  asio::io_context ioc_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

Client::Client(std::string host, uint16_t port,
               std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(std::move(host), port, timeout)) {}
Client::~Client() = default;

Result<http::Response> Client::Send(
    const std::string& method, const std::string& target,
    const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  return impl_->Send(method, target, body, headers);
}
Result<std::string> Client::SendRaw(const std::string& bytes) {
  return impl_->SendRaw(bytes);
}
void Client::Close() { impl_->Close(); }

}  // namespace malchin::net
