#pragma once
// Private: escaping text for XML and HTML (QML styles, the QGIS project, the report).
#include <string>
#include <string_view>

namespace infogap::detail {

/// Escapes & < > " ' as entities valid in both XML and HTML (&amp; &lt; &gt; &quot; &#39;).
std::string escape_markup(std::string_view text);

}  // namespace infogap::detail
