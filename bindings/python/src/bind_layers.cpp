// infogap/layers.hpp → Python: the loaded, validated, reprojected inputs. Bulk columns are numpy
// views of the engine's Eigen/std buffers (no copy, read-only, base = the owning object); strings
// are converted to lists (a copy per access: cache them on the Python side).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "infogap/layers.hpp"

namespace infogap::python {
namespace {

py::list wkb_list(const std::vector<std::vector<std::uint8_t>>& wkb) {
  py::list out(wkb.size());
  for (std::size_t i = 0; i < wkb.size(); ++i)
    out[i] = py::bytes(reinterpret_cast<const char*>(wkb[i].data()), wkb[i].size());
  return out;
}

}  // namespace

void bind_layers(py::module_& m) {
  py::class_<Hamlets> hamlets(m, "Hamlets", "Hamlet polygons (valid after repair) in the working CRS.");
  hamlets.def("__len__", &Hamlets::size)
      .def_readonly("id", &Hamlets::id)
      .def_readonly("name", &Hamlets::name)
      .def_readonly("group_names", &Hamlets::group_names, "The group_by columns, in order.")
      .def_readonly("groups", &Hamlets::groups, "Values of each group_by column per hamlet, indexed [group][hamlet].")
      .def_property_readonly(
          "wkb", [](const Hamlets& h) { return wkb_list(h.wkb); },
          "Polygon or MultiPolygon ISO WKB per hamlet as bytes, copied.");
  def_view(hamlets, "area_m2", &Hamlets::area_m2, "Area per hamlet in m2, a view.");
  hamlets.def_property_readonly(
      "geometry_source",
      [](const Hamlets& h) {
        std::vector<std::string> out(h.size());
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = to_string(h.source_of(i));
        return out;
      },
      "'given' (from the hamlet layer) or 'derived' (split from the commune: approximate) per hamlet, copied.");

  py::class_<Households> households(m, "Households", "Household points (structure of arrays).");
  households.def("__len__", &Households::size).def_readonly("id", &Households::id);
  def_view(households, "x_m", &Households::x_m, "Easting in the working CRS in m, a view.");
  def_view(households, "y_m", &Households::y_m, "Northing in the working CRS in m, a view.");
  households.def_property_readonly(
      "status",
      [](const py::object& self) {
        const auto& s = self.cast<const Households&>().status;
        static_assert(sizeof(Poverty) == sizeof(std::uint8_t));
        return view_of(reinterpret_cast<const std::uint8_t*>(s.data()), s.size(), self);
      },
      "Poverty status code per household, 0 poor, 1 near_poor, 2 not_poor, a uint8 view.");
  def_view(households, "members", &Households::members, "Members per household, -1 unknown, a view.");
  def_view(households, "internet", &Households::internet, "1 uses internet, 0 does not, -1 unknown, a view.");
  def_view(households, "devices", &Households::devices, "Information devices per household, -1 unknown, a view.");
  def_view(households, "source_row", &Households::source_row, "FID or CSV row in the input file, a view.");
  households.def_property_readonly(
      "location",
      [](const Households& h) {
        std::vector<std::string> out(h.size());
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = to_string(h.location_of(i));
        return out;
      },
      "'surveyed' or 'placed' (drawn inside the hamlet: approximate) per household, copied.");

  py::class_<Speakers> speakers(m, "Speakers", "Loudspeaker horns; horns sharing a cluster id form one cluster.");
  speakers.def("__len__", &Speakers::size)
      .def_readonly("id", &Speakers::id)
      .def_readonly("cluster", &Speakers::cluster);
  def_view(speakers, "x_m", &Speakers::x_m, "m (view).");
  def_view(speakers, "y_m", &Speakers::y_m, "m (view).");
  def_view(speakers, "power_w", &Speakers::power_w, "W (view).");
  def_view(speakers, "sensitivity_db", &Speakers::sensitivity_db, "dB SPL at 1 W / 1 m (view).");
  def_view(speakers, "height_m", &Speakers::height_m, "m (view).");
  def_view(speakers, "azimuth_deg", &Speakers::azimuth_deg, "degrees, NaN = omnidirectional (view).");
  def_view(speakers, "beamwidth_deg", &Speakers::beamwidth_deg, "degrees (view).");
  def_view(speakers, "range_m", &Speakers::range_m, "radius model reach, m (view).");

  py::class_<Teams> teams(m, "Teams", "Community digital-technology teams.");
  teams.def("__len__", &Teams::size).def_readonly("id", &Teams::id);
  def_view(teams, "x_m", &Teams::x_m, "m (view).");
  def_view(teams, "y_m", &Teams::y_m, "m (view).");
  def_view(teams, "members", &Teams::members, "team size (view).");
  def_view(teams, "reach_m", &Teams::reach_m, "m (view).");
  def_view(teams, "households_per_member", &Teams::households_per_member, "capacity per member (view).");

  py::class_<Candidates> candidates(m, "Candidates", "Candidate sites for new equipment.");
  candidates.def("__len__", &Candidates::size)
      .def_readonly("id", &Candidates::id)
      .def_readonly("kind", &Candidates::kind);
  def_view(candidates, "x_m", &Candidates::x_m, "m (view).");
  def_view(candidates, "y_m", &Candidates::y_m, "m (view).");

  py::class_<Reject>(m, "Reject", "A row that could not be used (it ends in rejects.csv).")
      .def_readonly("file", &Reject::file)
      .def_readonly("layer", &Reject::layer)
      .def_readonly("feature_id", &Reject::feature_id)
      .def_readonly("id", &Reject::id)
      .def_readonly("column", &Reject::column)
      .def_readonly("reason", &Reject::reason);

  py::class_<LayerInfo>(m, "LayerInfo", "What was read from one layer.")
      .def_readonly("path", &LayerInfo::path)
      .def_readonly("layer", &LayerInfo::layer)
      .def_readonly("sha256", &LayerInfo::sha256)
      .def_readonly("features", &LayerInfo::features)
      .def_readonly("accepted", &LayerInfo::accepted)
      .def_readonly("rejected", &LayerInfo::rejected)
      .def_readonly("source_crs", &LayerInfo::source_crs)
      .def_readonly("crs_name", &LayerInfo::crs_name)
      .def_readonly("driver", &LayerInfo::driver);

  py::class_<Inputs>(m, "Inputs", "Everything loaded from a scenario, validated and in the working CRS.")
      .def_readonly("working_crs", &Inputs::working_crs)
      .def_readonly("working_epsg", &Inputs::working_epsg)
      .def_readonly("hamlets", &Inputs::hamlets)
      .def_readonly("households", &Inputs::households)
      .def_readonly("speakers", &Inputs::speakers)
      .def_readonly("teams", &Inputs::teams)
      .def_readonly("candidates", &Inputs::candidates)
      .def_readonly("rejects", &Inputs::rejects)
      .def_readonly("repaired_polygons", &Inputs::repaired_polygons)
      .def_readonly("dropped_parts", &Inputs::dropped_parts)
      .def_readonly("layers", &Inputs::layers)
      .def_readonly("households_input", &Inputs::households_input)
      .def_readonly("households_rejected", &Inputs::households_rejected)
      .def_readonly("notes", &Inputs::notes);
}

}  // namespace infogap::python
