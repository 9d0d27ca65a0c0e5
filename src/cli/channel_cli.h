// Internal to the CLI: helpers shared by the channel's commands
// (channel_commands.cpp, broadcast_commands.cpp).
#pragma once

#include <boost/program_options.hpp>

#include "channel/kannel.h"
#include "channel/templates.h"
#include "core/status.h"

namespace malchin::cli {

// The template's values from repeated --param NAME=VALUE (none: empty).
// InvalidArgument (field "param") naming an option without '='.
Result<channel::TemplateValues> TemplateParamOptions(
    const boost::program_options::variables_map& vm);

// Declares the gateway's options: --kannel-host, --kannel-port,
// --kannel-user (required if `user_required`), --kannel-password-file,
// --from, --smsc, --dlr-url, --sms-token-file.
void KannelOptions(boost::program_options::options_description& d,
                   bool user_required);

// The Kannel client of those options. The password comes from
// --kannel-password-file or env MALCHIN_KANNEL_PASSWORD (never argv;
// InvalidArgument without one); the callback token from --sms-token-file,
// env MALCHIN_SMS_TOKEN, else `token`.
Result<channel::KannelClient> KannelFromOptions(
    const boost::program_options::variables_map& vm, std::string_view token);

// "host:pid": a sending worker's default name.
std::string DefaultOwner();

}  // namespace malchin::cli
