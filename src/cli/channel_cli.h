// Internal to the CLI: helpers shared by the channel's commands
// (channel_commands.cpp, broadcast_commands.cpp).
#pragma once

#include <boost/program_options.hpp>

#include "channel/templates.h"
#include "core/status.h"

namespace malchin::cli {

// The template's values from repeated --param NAME=VALUE (none: empty).
// InvalidArgument (field "param") naming an option without '='.
Result<channel::TemplateValues> TemplateParamOptions(
    const boost::program_options::variables_map& vm);

}  // namespace malchin::cli
