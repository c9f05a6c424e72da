#include "report/strings.hpp"

#include <string>

#include "infogap/error.hpp"

namespace infogap::detail {
namespace {

// English and Vietnamese are two separate tables on purpose: a key added to one only is caught by
// tests/cpp/report_test.cpp (ReportStrings.*), as is a Vietnamese text left equal to the English one.
const StringTable k_en = {
    {"lang_name", "English"},
    {"title", "Information coverage report"},
    {"subtitle",
     "Loudspeakers, community digital-technology teams and the poor and near-poor households they do not reach"},
    {"scenario", "Scenario"},
    {"generated_at", "Generated"},
    {"engine_version", "infogap version"},
    {"synthetic_banner",
     "Synthetic data. The hamlets, households and equipment in this report are generated for illustration; they are "
     "not real records."},
    {"rollup_note",
     "National roll-up of {count} partitions by {column}: each partition's folder holds its full report, layers and "
     "proposal; the map shows the partitions, and the tables rank the partitions, every unit and the worst hamlets."},
    {"contents", "Contents"},
    {"section_summary", "Summary"},
    {"section_map", "Map"},
    {"section_hamlets", "Hamlets with the largest gaps"},
    {"section_groups", "By administrative unit"},
    {"section_proposed", "Proposed sites"},
    {"section_method", "Method"},
    {"section_parameters", "Parameters"},
    {"section_sources", "Data sources"},
    // summary
    {"card_households", "Households in hamlets"},
    {"card_target", "Target households"},
    {"card_target_note", "weight above zero; total weight {weight}"},
    {"card_reached_speaker", "Hear a loudspeaker"},
    {"card_reached_team", "Reached by a team"},
    {"card_reached_any", "Reached by any channel"},
    {"card_gap", "Gap: target households not reached"},
    {"card_gap_note", "gap weight {weight} ({rate} of the target weight)"},
    {"share_of_target", "{share} of target households"},
    {"accounting",
     "Accounting: {input} households in the input = {joined} joined to a hamlet + {outside} outside every hamlet + "
     "{rejected} rejected (unusable rows)."},
    {"accounting_ok", "The sum holds."},
    {"approx_placed",
     "{placed} of {households} households ({share}) have no surveyed location: they were placed inside their hamlet "
     "(on building footprints, or uniformly), so every figure that rests on where they live (who hears a "
     "loudspeaker, who is within a team's reach, the gap map) is approximate for them."},
    {"approx_derived",
     "{derived} of {hamlets} hamlet boundaries were derived by splitting their commune among the hamlet points "
     "(Voronoi): they are approximate, and drawn with a dashed outline on the map layers."},
    {"accounting_mismatch", "The sum does not hold: {difference} households are unaccounted for."},
    {"by_status_title", "By poverty status"},
    {"col_status", "Poverty status"},
    {"status_poor", "Poor households"},
    {"status_near_poor", "Near-poor households"},
    {"status_not_poor", "Households not poor"},
    {"col_households", "Households"},
    {"col_reached", "Reached"},
    {"col_not_reached", "Not reached"},
    {"col_reached_share", "Share reached"},
    // area tables
    {"col_rank", "Rank"},
    {"col_hamlet", "Hamlet"},
    {"col_id", "ID"},
    {"col_unit", "Unit"},
    {"col_target_households", "Target households"},
    {"col_target_weight", "Target weight"},
    {"col_reached_speaker", "Hear a loudspeaker"},
    {"col_reached_team", "Reached by a team"},
    {"col_reached_any", "Reached (any channel)"},
    {"col_gap_households", "Gap (households)"},
    {"conditions_title", "Listening conditions"},
    {"conditions_intro",
     "The gap under each listening condition of the scenario (a loudspeaker must be heard under it, or a team "
     "reaches the household); weighted by each condition's share of the broadcasts, the expected gap weight is "
     "{expected}."},
    {"col_condition", "Condition"},
    {"col_condition_share", "Share of broadcasts"},
    {"col_gap_weight", "Gap weight"},
    {"col_gap_rate", "Gap rate"},
    {"hamlets_intro",
     "The {shown} hamlets with the largest gap weight, of {total}. Click a column header to sort; click a row to show "
     "the hamlet on the map."},
    {"no_hamlets", "No hamlets."},
    {"groups_intro", "Every unit of each grouping, ranked by gap weight. Click a column header to sort."},
    {"no_groups", "No grouping columns (group_by) were configured."},
    {"group_units_count", "{count} units"},
    {"group_commune", "Commune/ward"},
    {"group_district", "District"},
    {"group_commune_2025", "Commune/ward (from July 2025)"},
    {"group_province", "Province"},
    {"sort_hint", "Click to sort"},
    // map
    {"map_intro",
     "Hamlets are shaded by gap rate, the share of their target weight that no channel reaches. Click a hamlet for its "
     "figures; the control at the top right shows or hides layers. There is no background map, so the report works "
     "offline."},
    {"map_noscript", "The interactive map needs JavaScript; the tables below hold the same figures."},
    {"layer_hamlets", "Hamlets (gap rate)"},
    {"layer_speakers", "Loudspeaker clusters"},
    {"layer_speaker_range", "Audible range of the loudspeakers"},
    {"layer_teams", "Community digital-technology teams"},
    {"layer_team_reach", "Reach of the teams"},
    {"layer_proposed", "Proposed sites"},
    {"layer_group", "Boundaries: {name}"},
    {"legend_title", "Gap rate"},
    {"legend_no_target", "No target households"},
    {"legend_speaker", "Loudspeaker cluster"},
    {"legend_team", "Digital-technology team"},
    {"legend_proposed_speaker", "Proposed loudspeaker"},
    {"legend_proposed_team", "Proposed team"},
    {"popup_audible_range", "Audible range on axis"},
    {"popup_reach", "Reach"},
    {"kind_speaker", "Loudspeaker cluster"},
    {"kind_team", "Digital-technology team"},
    {"unit_m", "m"},
    // proposed sites
    {"proposed_intro",
     "Sites are listed in the order of their marginal gain: each next site is the one that adds the most target "
     "weight given the sites before it, so the list can be cut after any row."},
    {"proposed_intro_budget",
     "Under a budget, sites are listed by gain per VND: each next site adds the most target weight per đồng spent, "
     "given the sites before it, so the list can be cut at any smaller budget. The gain of a site therefore need not "
     "fall from one row to the next: a cheaper site with a smaller gain can come before a dearer one with a larger "
     "gain."},
    {"budget_kinds_both",
     "The budget of {budget} VND buys loudspeakers and teams alike; the numbers of new sites do not limit it, except "
     "that a number of 0 (new_speakers or new_teams) leaves that kind out."},
    {"budget_kinds_speakers", "The budget of {budget} VND buys loudspeakers only: the number of new teams is 0."},
    {"budget_kinds_teams", "The budget of {budget} VND buys teams only: the number of new loudspeakers is 0."},
    {"proposed_gains_note",
     "Each new loudspeaker is counted on its own, added to the sound already there: households that only two new "
     "poles together would reach are not counted, so several new poles close to each other can reach more than the "
     "sum shown. A team serves at most its capacity; a site's gain is what the sites up to it reach minus what the "
     "sites before it reach, so when a team takes over households from another, that gain can rise or fall."},
    {"unmet_title", "Not met."},
    {"unmet_intro",
     "The proposal does not meet what the scenario asks: the sites below are the best effort, not a solution. The "
     "objective and bound below describe that best effort."},
    {"unmet_message", "Optimizer: {message}."},
    {"unmet_target",
     "Coverage target: {required} of the target weight asked; with the proposed sites {after} is reached; even every "
     "candidate site built would reach at most {reachable}."},
    {"unmet_groups",
     "Units below their minimum share of target weight reached (the last column is the most any placement of the "
     "candidate sites can reach):"},
    {"col_group", "Grouping"},
    {"col_required_share", "Minimum asked"},
    {"col_share_after", "Reached with the proposal"},
    {"col_reachable_share", "At most, every candidate built"},
    {"output_dir", "Output folder"},
    {"beyond_validity",
     "{count} target households ({share} of those who hear a loudspeaker) hear one only from more than 1 km away, "
     "beyond the distances ISO 9613-2 is meant for: their coverage is less certain than the rest (summary.json: "
     "coverage.reached_beyond_model_validity)."},
    {"no_proposed", "This scenario has no optimisation block, so no sites are proposed."},
    {"optimizer_summary",
     "Solver: {solver}; status: {status}; objective (target weight newly reached): {objective}; upper bound: {bound}; "
     "optimality gap: {gap}."},
    {"after_recomputed",
     "Coverage recomputed with the proposed sites in place closes {closed} of gap weight (the optimizer's estimate: "
     "{claimed}); the gaps after placement in this report are the recomputed ones."},
    {"after_changes",
     "The recomputation, channel by channel: +{heard} now heard from a loudspeaker, +{new_teams} served by the new "
     "teams, +{existing_teams} served by existing teams whose households a new site now reaches, −{lost_to_echo} no "
     "longer heard (the echo of a new loudspeaker) and −{left_by_teams} left by a team for needier households. The "
     "optimizer's model counts what each new site reaches itself and the waiting households existing teams then "
     "serve; not the echo a new loudspeaker brings, nor what new loudspeakers reach only together."},
    {"chart_title", "Gap closed by each next site"},
    {"chart_x_rank", "Sites in rank order"},
    {"chart_bars", "Marginal weight of the site (left axis)"},
    {"chart_line", "Share of the gap closed, cumulative (right axis)"},
    {"chart_cost_title", "Gap closed against cumulative cost"},
    {"chart_cost_x", "Cumulative cost (million VND)"},
    {"chart_cost_y", "Share of the gap closed"},
    {"chart_site_tip", "Site {rank} ({id}): +{marginal}, cumulative {cumulative}"},
    {"col_site", "Site"},
    {"col_kind", "Type"},
    {"col_marginal_weight", "Marginal weight"},
    {"col_marginal_households", "Households newly reached"},
    {"col_cumulative_weight", "Cumulative weight"},
    {"col_cumulative_share", "Share of the gap closed"},
    {"col_cost", "Cost (VND)"},
    {"col_cumulative_cost", "Cumulative cost (VND)"},
    {"col_lon", "Longitude"},
    {"col_lat", "Latitude"},
    {"col_site_type", "Place"},
    {"col_commune", "Commune"},
    {"site_type_cultural_house", "Cultural house"},
    {"site_type_school", "School"},
    {"site_type_hamlet_centre", "Hamlet centre"},
    {"site_type_grid", "Grid point"},
    // method
    {"method_reached",
     "A household is reached when at least one channel reaches it: it hears a loudspeaker cluster clearly, or a "
     "community digital-technology team covers it. Target households are those with a target weight above zero; the "
     "weights by poverty status are in the parameters table. The gap of an area is the weight, and the number, of its "
     "target households that no channel reaches; the gap rate is the gap weight divided by the target weight."},
    {"method_speaker_iso",
     "Loudspeakers. For each household the engine computes the A-weighted speech level of every loudspeaker cluster, "
     "octave band by octave band, with air absorption after ISO 9613-1 and spreading and ground effect after ISO "
     "9613-2, and adds the energies of all clusters. The household hears the loudspeakers when this level, minus a "
     "facade loss of {facade} dB for listeners indoors, is at least {snr} dB above the ambient noise of {ambient} "
     "dB(A)."},
    {"method_speaker_radius",
     "Loudspeakers. Each cluster reaches every household within its fixed range (radius model); no acoustic "
     "computation is made, so the ranges are assumptions of the scenario."},
    {"method_limits",
     "Limits of the acoustic model. ISO 9613-2 describes propagation with a light wind from the loudspeaker towards "
     "the listener (downwind), which favours sound, and is meant for distances up to about 1 km. The ground is taken "
     "as flat, without houses, trees or dykes that screen the sound; horns have a generic directivity (a beam of the "
     "given width around their axis) rather than measured data. Ranges on the map are along the horn axis, outdoors; "
     "off axis and indoors they are shorter. Use the map to screen hamlets and check doubtful ones on site. Target "
     "households that hear a loudspeaker only from more than 1 km away are counted apart (summary.json: "
     "coverage.reached_beyond_model_validity)."},
    {"method_teams",
     "Community digital-technology teams. A team reaches target households within its reach distance, up to its "
     "capacity (members × households per member): first the households no loudspeaker reaches, then the neediest "
     "(highest weight), then the nearest. A household already served may move to another team within its reach when "
     "that lets one more be served, so the teams together serve as many of them as their capacity allows."},
    {"method_optimizer",
     "Proposed sites. New loudspeakers and teams are chosen among candidate sites to reach as much unreached target "
     "weight as possible (maximal covering), with existing equipment kept. The objective is the target weight newly "
     "reached; the bound is an upper limit that no choice of sites can exceed, so the optimality gap shows how far the "
     "answer can be from the best one. With a budget, sites of either kind are bought until the budget is spent, "
     "ranked by gain per VND; a number of new sites set to 0 leaves that kind out. A coverage target or a minimum "
     "share per unit that no choice of sites can reach is reported as not met, with the units that fall short."},
    // parameters, sources, footer
    {"parameters_intro", "The scenario after defaults."},
    {"col_parameter", "Parameter"},
    {"col_value", "Value"},
    {"no_parameters", "No parameters recorded."},
    {"col_layer", "Layer"},
    {"col_source", "File"},
    {"no_sources", "No data sources recorded."},
    {"footer",
     "Generated by infogap {version}. The map is drawn with Leaflet 1.9.4 (BSD 2-Clause licence), embedded in this "
     "file; nothing is loaded from the internet."},
    // the change report (infogap compare): report_change.<lang>.html
    {"change_title", "Progress between two runs"},
    {"change_subtitle", "What changed in coverage and gaps from one run (before) to another (after)"},
    {"change_before", "Before"},
    {"change_after", "After"},
    {"change_section_summary", "Headline changes"},
    {"change_section_accounting", "Every household accounted for"},
    {"change_section_improved", "Hamlets that improved most"},
    {"change_section_worsened", "Hamlets that worsened most"},
    {"change_points", "points"},
    {"change_units_own",
     "Groupings compare units by name, each run with its own units (the groupings both runs have)."},
    {"change_units_before",
     "Groupings use the units of the BEFORE run: every hamlet of both runs is counted in the unit the before run's "
     "hamlets give it (matched by hamlet id)."},
    {"change_units_after",
     "Groupings use the units of the AFTER run (e.g. the communes from July 2025): every hamlet of both runs is "
     "counted in the unit the after run's hamlets give it (matched by hamlet id)."},
    {"change_skipped", "Grouping {grouping} is in one run only and is not compared (choose whose units with --units)."},
    {"change_unmapped",
     "{count} hamlets have no unit of {grouping} on the side whose units are used: they are counted in a row without a "
     "unit."},
    {"change_accounting_before",
     "Before: {total} households = {unchanged} unchanged + {newly_reached} newly reached + {newly_unreached} newly "
     "unreached + {status_changed} with another poverty status + {side} removed (not in the after run)."},
    {"change_accounting_after",
     "After: {total} households = {unchanged} unchanged + {newly_reached} newly reached + {newly_unreached} newly "
     "unreached + {status_changed} with another poverty status + {side} added (not in the before run)."},
    {"change_accounting_mismatch", "The sums do not hold: some households are unaccounted for."},
    {"change_status_differs", "{count} households present in both runs changed poverty status (whatever their reach)."},
    {"change_hamlets", "Hamlets: {matched} in both runs, {added} only after, {removed} only before."},
    {"change_col_class", "Change"},
    {"change_col_target", "of which target households"},
    {"change_class_unchanged", "Unchanged"},
    {"change_class_newly_reached", "Newly reached"},
    {"change_class_newly_unreached", "No longer reached"},
    {"change_class_status_changed", "Poverty status changed (same reach)"},
    {"change_class_added", "Added (after only)"},
    {"change_class_removed", "Removed (before only)"},
    {"change_map_intro",
     "Hamlets shaded by the change of their gap weight: green where the gap fell, red where it rose, pale where it did "
     "not change. Click a hamlet for its figures before and after."},
    {"change_legend_title", "Change of gap weight"},
    {"change_legend_down_more", "Gap fell by {value} or more"},
    {"change_legend_down", "Gap fell"},
    {"change_legend_same", "No change"},
    {"change_legend_up", "Gap rose"},
    {"change_legend_up_more", "Gap rose by {value} or more"},
    {"change_col_reached_before", "Reached before"},
    {"change_col_reached_after", "Reached after"},
    {"change_col_gap_before", "Gap weight before"},
    {"change_col_gap_after", "Gap weight after"},
    {"change_col_gap_delta", "Change of gap weight"},
    {"change_col_rate_before", "Gap rate before"},
    {"change_col_rate_after", "Gap rate after"},
    {"change_none_improved", "No hamlet's gap weight fell."},
    {"change_none_worsened", "No hamlet's gap weight rose."},
    {"change_improved_intro", "The {shown} hamlets whose gap weight fell most, of {total} whose gap fell."},
    {"change_worsened_intro", "The {shown} hamlets whose gap weight rose most, of {total} whose gap rose."},
    {"change_no_groups", "No grouping is compared."},
    {"change_no_unit", "(no unit)"},
    {"change_method",
     "Households are matched by household id, hamlets by hamlet id and units by name; nothing is matched by location "
     "or guessed. A household in both runs is newly reached or no longer reached when its reach (any channel) "
     "changed, else 'poverty status changed' when only its status changed, else unchanged; a household in one run "
     "only is added or removed. The figures of a hamlet or unit are those each run computed; a hamlet in one run only "
     "counts 0 in the other."},
};

const StringTable k_vi = {
    {"lang_name", "Tiếng Việt"},
    {"title", "Báo cáo độ phủ thông tin"},
    {"subtitle", "Loa truyền thanh, tổ công nghệ số cộng đồng và các hộ nghèo, hộ cận nghèo chưa được tiếp cận"},
    {"scenario", "Kịch bản"},
    {"generated_at", "Thời điểm lập báo cáo"},
    {"engine_version", "Phiên bản infogap"},
    {"synthetic_banner",
     "Dữ liệu mô phỏng. Các ấp/khóm, hộ gia đình và thiết bị trong báo cáo này được tạo ra để minh họa, không phải số "
     "liệu thực tế."},
    {"rollup_note",
     "Báo cáo tổng hợp toàn quốc của {count} phân vùng theo {column}: thư mục của mỗi phân vùng có báo cáo, lớp bản "
     "đồ và đề xuất đầy đủ; bản đồ thể hiện các phân vùng, các bảng xếp hạng phân vùng, mọi đơn vị và các ấp/khóm có "
     "khoảng trống lớn nhất."},
    {"contents", "Mục lục"},
    {"section_summary", "Tóm tắt"},
    {"section_map", "Bản đồ"},
    {"section_hamlets", "Các ấp/khóm có khoảng trống lớn nhất"},
    {"section_groups", "Theo đơn vị hành chính"},
    {"section_proposed", "Vị trí đề xuất"},
    {"section_method", "Phương pháp"},
    {"section_parameters", "Tham số"},
    {"section_sources", "Nguồn dữ liệu"},
    // summary
    {"card_households", "Số hộ trong các ấp/khóm"},
    {"card_target", "Hộ mục tiêu"},
    {"card_target_note", "trọng số lớn hơn 0; tổng trọng số {weight}"},
    {"card_reached_speaker", "Nghe được loa truyền thanh"},
    {"card_reached_team", "Được tổ công nghệ số tiếp cận"},
    {"card_reached_any", "Được tiếp cận qua ít nhất một kênh"},
    {"card_gap", "Khoảng trống: hộ mục tiêu chưa được tiếp cận"},
    {"card_gap_note", "trọng số khoảng trống {weight} ({rate} tổng trọng số mục tiêu)"},
    {"share_of_target", "{share} số hộ mục tiêu"},
    {"accounting",
     "Đối soát: {input} hộ trong dữ liệu đầu vào = {joined} hộ thuộc một ấp/khóm + {outside} hộ nằm ngoài mọi ấp/khóm "
     "+ {rejected} hộ bị loại (dòng dữ liệu không dùng được)."},
    {"accounting_ok", "Tổng khớp."},
    {"approx_placed",
     "{placed} trong {households} hộ ({share}) không có vị trí khảo sát: các hộ này được đặt trong ấp của mình "
     "(trên các công trình nhà, hoặc rải đều), nên mọi số liệu dựa trên nơi ở của hộ (nghe được loa, trong tầm của "
     "tổ công nghệ số, bản đồ khoảng trống) chỉ là gần đúng đối với các hộ này."},
    {"approx_derived",
     "{derived} trong {hamlets} ranh giới ấp được suy ra bằng cách chia xã theo điểm trung tâm các ấp (Voronoi): "
     "ranh giới này chỉ gần đúng và được vẽ nét đứt trên các lớp bản đồ."},
    {"accounting_mismatch", "Tổng không khớp: chênh lệch {difference} hộ."},
    {"by_status_title", "Theo tình trạng nghèo"},
    {"col_status", "Tình trạng nghèo"},
    {"status_poor", "Hộ nghèo"},
    {"status_near_poor", "Hộ cận nghèo"},
    {"status_not_poor", "Hộ không nghèo"},
    {"col_households", "Số hộ"},
    {"col_reached", "Được tiếp cận"},
    {"col_not_reached", "Chưa được tiếp cận"},
    {"col_reached_share", "Tỷ lệ được tiếp cận"},
    // area tables
    {"col_rank", "Thứ hạng"},
    {"col_hamlet", "Ấp/khóm"},
    {"col_id", "Mã"},
    {"col_unit", "Đơn vị"},
    {"col_target_households", "Hộ mục tiêu"},
    {"col_target_weight", "Trọng số mục tiêu"},
    {"col_reached_speaker", "Nghe được loa"},
    {"col_reached_team", "Được tổ tiếp cận"},
    {"col_reached_any", "Được tiếp cận (mọi kênh)"},
    {"col_gap_households", "Khoảng trống (hộ)"},
    {"conditions_title", "Điều kiện nghe"},
    {"conditions_intro",
     "Khoảng trống theo từng điều kiện nghe của kịch bản (loa phải nghe rõ trong điều kiện đó, hoặc có tổ tiếp cận "
     "hộ); tính theo tỷ lệ buổi phát của mỗi điều kiện, trọng số khoảng trống kỳ vọng là {expected}."},
    {"col_condition", "Điều kiện"},
    {"col_condition_share", "Tỷ lệ buổi phát"},
    {"col_gap_weight", "Trọng số khoảng trống"},
    {"col_gap_rate", "Tỷ lệ khoảng trống"},
    {"hamlets_intro",
     "{shown} ấp/khóm có trọng số khoảng trống lớn nhất, trong tổng số {total}. Bấm vào tiêu đề cột để sắp xếp; bấm "
     "vào một dòng để xem ấp/khóm đó trên bản đồ."},
    {"no_hamlets", "Không có ấp/khóm nào."},
    {"groups_intro",
     "Tất cả đơn vị của từng cách phân nhóm, xếp hạng theo trọng số khoảng trống. Bấm vào tiêu đề cột để sắp xếp."},
    {"no_groups", "Chưa cấu hình cột phân nhóm (group_by) nào."},
    {"group_units_count", "{count} đơn vị"},
    {"group_commune", "Xã/phường"},
    {"group_district", "Huyện/thị xã/thành phố"},
    {"group_commune_2025", "Xã/phường (từ tháng 7/2025)"},
    {"group_province", "Tỉnh"},
    {"sort_hint", "Bấm để sắp xếp"},
    // map
    {"map_intro",
     "Các ấp/khóm được tô màu theo tỷ lệ khoảng trống, tức phần trọng số mục tiêu chưa được kênh nào tiếp cận. Bấm vào "
     "một ấp/khóm để xem số liệu; bảng điều khiển ở góc trên bên phải dùng để bật hoặc tắt các lớp. Bản đồ không có "
     "nền nên báo cáo dùng được cả khi không có mạng."},
    {"map_noscript", "Bản đồ tương tác cần JavaScript; các bảng bên dưới có cùng số liệu."},
    {"layer_hamlets", "Ấp/khóm (tỷ lệ khoảng trống)"},
    {"layer_speakers", "Cụm loa truyền thanh"},
    {"layer_speaker_range", "Phạm vi nghe rõ của loa"},
    {"layer_teams", "Tổ công nghệ số cộng đồng"},
    {"layer_team_reach", "Phạm vi tiếp cận của tổ"},
    {"layer_proposed", "Vị trí đề xuất"},
    {"layer_group", "Ranh giới: {name}"},
    {"legend_title", "Tỷ lệ khoảng trống"},
    {"legend_no_target", "Không có hộ mục tiêu"},
    {"legend_speaker", "Cụm loa truyền thanh"},
    {"legend_team", "Tổ công nghệ số cộng đồng"},
    {"legend_proposed_speaker", "Cụm loa đề xuất"},
    {"legend_proposed_team", "Tổ công nghệ số đề xuất"},
    {"popup_audible_range", "Phạm vi nghe rõ theo trục loa"},
    {"popup_reach", "Phạm vi tiếp cận"},
    {"kind_speaker", "Cụm loa truyền thanh"},
    {"kind_team", "Tổ công nghệ số cộng đồng"},
    {"unit_m", "m"},
    // proposed sites
    {"proposed_intro",
     "Các vị trí được liệt kê theo thứ tự lợi ích biên: mỗi vị trí tiếp theo là vị trí tiếp cận thêm nhiều trọng số "
     "mục tiêu nhất, tính sau các vị trí trước nó, nên có thể dừng sau bất kỳ dòng nào."},
    {"proposed_intro_budget",
     "Khi có ngân sách, các vị trí được xếp theo lợi ích trên mỗi đồng: mỗi vị trí tiếp theo tiếp cận thêm nhiều trọng "
     "số mục tiêu nhất trên mỗi đồng chi ra, tính sau các vị trí trước nó, nên có thể dừng ở bất kỳ mức ngân sách nhỏ "
     "hơn nào. Vì vậy lợi ích của từng vị trí không nhất thiết giảm dần từ dòng này sang dòng sau: một vị trí rẻ hơn "
     "với lợi ích nhỏ hơn có thể đứng trước một vị trí đắt hơn với lợi ích lớn hơn."},
    {"budget_kinds_both",
     "Ngân sách {budget} đồng được dùng cho cả loa và tổ; số vị trí mới không giới hạn ngân sách, trừ khi số đó bằng 0 "
     "(new_speakers hoặc new_teams) thì loại đó không được đặt."},
    {"budget_kinds_speakers", "Ngân sách {budget} đồng chỉ dùng cho loa: số tổ mới bằng 0."},
    {"budget_kinds_teams", "Ngân sách {budget} đồng chỉ dùng cho tổ: số loa mới bằng 0."},
    {"proposed_gains_note",
     "Mỗi loa mới được tính riêng, cộng với âm thanh đã có: những hộ chỉ nghe được khi hai cụm loa mới cùng phát thì "
     "không được tính, nên nhiều cụm loa mới đặt gần nhau có thể tiếp cận nhiều hơn tổng trong bảng. Mỗi tổ chỉ phục "
     "vụ tối đa theo năng lực; lợi ích của một vị trí là phần các vị trí đến nó tiếp cận trừ phần các vị trí trước nó "
     "tiếp cận, nên khi một tổ nhận lại các hộ của tổ khác, lợi ích đó có thể tăng hoặc giảm."},
    {"unmet_title", "Không đạt."},
    {"unmet_intro",
     "Đề xuất không đáp ứng được yêu cầu của kịch bản: các vị trí dưới đây là phương án tốt nhất có thể, không phải "
     "một lời giải. Giá trị mục tiêu và cận bên dưới là của phương án đó."},
    {"unmet_message", "Bộ tối ưu: {message}."},
    {"unmet_target",
     "Mục tiêu độ phủ: yêu cầu {required} tổng trọng số mục tiêu; với các vị trí đề xuất đạt {after}; kể cả khi xây "
     "mọi vị trí ứng viên cũng chỉ đạt tối đa {reachable}."},
    {"unmet_groups",
     "Các đơn vị chưa đạt tỷ lệ tối thiểu trọng số mục tiêu được tiếp cận (cột cuối là mức cao nhất mà mọi cách đặt "
     "các vị trí ứng viên có thể đạt):"},
    {"col_group", "Cách nhóm"},
    {"col_required_share", "Mức tối thiểu yêu cầu"},
    {"col_share_after", "Đạt được với đề xuất"},
    {"col_reachable_share", "Tối đa, khi xây mọi vị trí ứng viên"},
    {"output_dir", "Thư mục kết quả"},
    {"beyond_validity",
     "{count} hộ mục tiêu ({share} số hộ nghe được loa) chỉ nghe được loa ở khoảng cách trên 1 km, vượt quá phạm vi "
     "mà ISO 9613-2 áp dụng: độ phủ của các hộ này kém chắc chắn hơn (summary.json: "
     "coverage.reached_beyond_model_validity)."},
    {"no_proposed", "Kịch bản này không có phần tối ưu hóa nên không có vị trí đề xuất."},
    {"optimizer_summary",
     "Bộ giải: {solver}; trạng thái: {status}; giá trị mục tiêu (trọng số mục tiêu được tiếp cận thêm): {objective}; "
     "cận trên: {bound}; sai số tối ưu: {gap}."},
    {"after_recomputed",
     "Tính lại độ phủ khi có các vị trí đề xuất: thu hẹp {closed} trọng số khoảng trống (ước tính của bộ tối ưu: "
     "{claimed}); khoảng trống sau bố trí trong báo cáo này là số đã tính lại."},
    {"after_changes",
     "Số tính lại theo từng kênh: +{heard} nay nghe được loa, +{new_teams} được các tổ mới phục vụ, "
     "+{existing_teams} được các tổ hiện có phục vụ vì hộ họ từng phục vụ nay đã được vị trí mới tiếp cận, "
     "−{lost_to_echo} không còn nghe rõ (tiếng vọng của loa mới) và −{left_by_teams} được tổ chuyển sang phục vụ "
     "hộ khó khăn hơn. Mô hình của bộ tối ưu tính phần mỗi vị trí mới tự tiếp cận và các hộ đang chờ mà "
     "tổ hiện có khi đó phục vụ; không tính tiếng vọng do loa mới gây ra, cũng như phần các loa mới chỉ cùng nhau "
     "mới tiếp cận được."},
    {"chart_title", "Khoảng trống thu hẹp được theo từng vị trí tiếp theo"},
    {"chart_x_rank", "Các vị trí theo thứ hạng"},
    {"chart_bars", "Trọng số biên của vị trí (trục trái)"},
    {"chart_line", "Tỷ lệ khoảng trống đã thu hẹp, cộng dồn (trục phải)"},
    {"chart_cost_title", "Khoảng trống thu hẹp được theo chi phí cộng dồn"},
    {"chart_cost_x", "Chi phí cộng dồn (triệu đồng)"},
    {"chart_cost_y", "Tỷ lệ khoảng trống đã thu hẹp"},
    {"chart_site_tip", "Vị trí {rank} ({id}): +{marginal}, cộng dồn {cumulative}"},
    {"col_site", "Vị trí"},
    {"col_kind", "Loại"},
    {"col_marginal_weight", "Trọng số biên"},
    {"col_marginal_households", "Số hộ được tiếp cận thêm"},
    {"col_cumulative_weight", "Trọng số cộng dồn"},
    {"col_cumulative_share", "Tỷ lệ khoảng trống đã thu hẹp"},
    {"col_cost", "Chi phí (đồng)"},
    {"col_cumulative_cost", "Chi phí cộng dồn (đồng)"},
    {"col_lon", "Kinh độ"},
    {"col_lat", "Vĩ độ"},
    {"col_site_type", "Loại địa điểm"},
    {"col_commune", "Xã/phường"},
    {"site_type_cultural_house", "Nhà văn hóa"},
    {"site_type_school", "Trường học"},
    {"site_type_hamlet_centre", "Trung tâm ấp"},
    {"site_type_grid", "Điểm lưới"},
    // method
    {"method_reached",
     "Một hộ được coi là được tiếp cận khi có ít nhất một kênh tiếp cận được hộ đó: hộ nghe rõ một cụm loa truyền "
     "thanh, hoặc nằm trong phạm vi phục vụ của một tổ công nghệ số cộng đồng. Hộ mục tiêu là các hộ có trọng số mục "
     "tiêu lớn hơn 0; trọng số theo tình trạng nghèo được ghi trong bảng tham số. Khoảng trống của một địa bàn là tổng "
     "trọng số, và số lượng, các hộ mục tiêu chưa được kênh nào tiếp cận; tỷ lệ khoảng trống bằng trọng số khoảng "
     "trống chia cho trọng số mục tiêu."},
    {"method_speaker_iso",
     "Loa truyền thanh. Với mỗi hộ, phần mềm tính mức áp suất âm của lời nói theo thang A do từng cụm loa tạo ra, cho "
     "từng dải octave, với độ hấp thụ của không khí theo ISO 9613-1, độ suy giảm theo khoảng cách và ảnh hưởng của mặt "
     "đất theo ISO 9613-2, rồi cộng năng lượng của tất cả các cụm loa. Hộ nghe rõ loa khi mức này, sau khi trừ "
     "{facade} dB suy hao qua tường nhà cho người nghe trong nhà, cao hơn tiếng ồn nền {ambient} dB(A) ít nhất {snr} "
     "dB."},
    {"method_speaker_radius",
     "Loa truyền thanh. Mỗi cụm loa tiếp cận mọi hộ trong bán kính cố định của nó (mô hình bán kính); không có tính "
     "toán âm học nên các bán kính là giả định của kịch bản."},
    {"method_limits",
     "Giới hạn của mô hình âm học. ISO 9613-2 mô tả sự lan truyền khi có gió nhẹ thổi từ loa về phía người nghe (xuôi "
     "gió), là điều kiện thuận lợi cho âm thanh, và chỉ áp dụng cho khoảng cách đến khoảng 1 km. Mặt đất được coi là "
     "bằng phẳng, không có nhà cửa, cây cối hay đê bao che chắn âm thanh; loa nén được giả định có hướng tính chung "
     "(một chùm tia với độ rộng cho trước quanh trục loa) thay vì số liệu đo thực tế. Phạm vi trên bản đồ tính theo "
     "trục loa, ở ngoài trời; lệch khỏi trục loa hoặc ở trong nhà thì phạm vi ngắn hơn. Hãy dùng bản đồ để sàng lọc "
     "các ấp/khóm và kiểm tra tại chỗ những nơi còn nghi ngờ. Số hộ mục tiêu chỉ nghe được loa ở khoảng cách trên 1 km "
     "được ghi riêng (summary.json: coverage.reached_beyond_model_validity)."},
    {"method_teams",
     "Tổ công nghệ số cộng đồng. Mỗi tổ tiếp cận các hộ mục tiêu trong phạm vi hoạt động của tổ, tối đa bằng năng lực "
     "của tổ (số thành viên × số hộ mỗi thành viên phụ trách): trước hết là các hộ không nghe được loa nào, rồi đến hộ "
     "khó khăn nhất (trọng số cao nhất), rồi đến hộ gần nhất. Một hộ đã có tổ phụ trách có thể chuyển sang tổ khác "
     "trong phạm vi của hộ khi nhờ đó thêm được một hộ, để các tổ cùng nhau phục vụ được nhiều hộ nhất trong khả năng "
     "của mình."},
    {"method_optimizer",
     "Vị trí đề xuất. Loa và tổ mới được chọn trong các vị trí ứng viên sao cho tiếp cận được nhiều nhất phần trọng số "
     "mục tiêu còn chưa được tiếp cận (bài toán phủ tối đa), giữ nguyên các thiết bị hiện có. Giá trị mục tiêu là "
     "trọng số mục tiêu được tiếp cận thêm; cận trên là giới hạn mà không cách chọn vị trí nào vượt qua được, nên sai "
     "số tối ưu cho biết lời giải có thể cách lời giải tốt nhất bao xa. Khi có ngân sách, vị trí thuộc cả hai loại "
     "được "
     "chọn cho đến khi hết ngân sách, xếp theo lợi ích trên mỗi đồng; số vị trí mới bằng 0 thì loại đó không được đặt. "
     "Mục tiêu độ phủ hoặc tỷ lệ tối thiểu cho từng đơn vị mà không cách chọn nào đạt được sẽ được báo là không đạt, "
     "kèm các đơn vị còn thiếu."},
    // parameters, sources, footer
    {"parameters_intro", "Kịch bản sau khi áp dụng các giá trị mặc định."},
    {"col_parameter", "Tham số"},
    {"col_value", "Giá trị"},
    {"no_parameters", "Không có tham số nào được ghi lại."},
    {"col_layer", "Lớp dữ liệu"},
    {"col_source", "Tệp"},
    {"no_sources", "Không có nguồn dữ liệu nào được ghi lại."},
    {"footer",
     "Được tạo bởi infogap {version}. Bản đồ được vẽ bằng Leaflet 1.9.4 (giấy phép BSD 2-Clause), nhúng sẵn trong tệp "
     "này; không tải gì từ Internet."},
    // báo cáo thay đổi (infogap compare): report_change.<lang>.html
    {"change_title", "Tiến độ giữa hai lần chạy"},
    {"change_subtitle", "Độ phủ và khoảng trống đã thay đổi thế nào từ lần chạy trước đến lần chạy sau"},
    {"change_before", "Trước"},
    {"change_after", "Sau"},
    {"change_section_summary", "Thay đổi chính"},
    {"change_section_accounting", "Đối chiếu đủ mọi hộ"},
    {"change_section_improved", "Các ấp/khóm cải thiện nhiều nhất"},
    {"change_section_worsened", "Các ấp/khóm xấu đi nhiều nhất"},
    {"change_points", "điểm"},
    {"change_units_own",
     "Các nhóm được so theo tên đơn vị, mỗi lần chạy dùng đơn vị của chính nó (chỉ các nhóm cả hai lần chạy đều có)."},
    {"change_units_before",
     "Các nhóm dùng đơn vị của lần chạy TRƯỚC: mọi ấp/khóm của cả hai lần chạy được tính vào đơn vị mà ấp/khóm của "
     "lần chạy trước ghi (khớp theo mã ấp)."},
    {"change_units_after",
     "Các nhóm dùng đơn vị của lần chạy SAU (ví dụ xã/phường từ tháng 7/2025): mọi ấp/khóm của cả hai lần chạy được "
     "tính vào đơn vị mà ấp/khóm của lần chạy sau ghi (khớp theo mã ấp)."},
    {"change_skipped", "Nhóm {grouping} chỉ có ở một lần chạy nên không được so sánh (chọn đơn vị bằng --units)."},
    {"change_unmapped",
     "{count} ấp/khóm không có đơn vị {grouping} ở phía có đơn vị được dùng: chúng được tính vào một dòng không có "
     "đơn vị."},
    {"change_accounting_before",
     "Trước: {total} hộ = {unchanged} không đổi + {newly_reached} mới được tiếp cận + {newly_unreached} không còn "
     "được tiếp cận + {status_changed} đổi diện nghèo + {side} không còn (không có ở lần chạy sau)."},
    {"change_accounting_after",
     "Sau: {total} hộ = {unchanged} không đổi + {newly_reached} mới được tiếp cận + {newly_unreached} không còn được "
     "tiếp cận + {status_changed} đổi diện nghèo + {side} hộ mới (không có ở lần chạy trước)."},
    {"change_accounting_mismatch", "Tổng không khớp: có hộ chưa được đối chiếu."},
    {"change_status_differs", "{count} hộ có ở cả hai lần chạy đã đổi diện nghèo (dù được tiếp cận hay không)."},
    {"change_hamlets",
     "Ấp/khóm: {matched} có ở cả hai lần chạy, {added} chỉ có ở lần sau, {removed} chỉ có ở lần trước."},
    {"change_col_class", "Thay đổi"},
    {"change_col_target", "trong đó hộ mục tiêu"},
    {"change_class_unchanged", "Không đổi"},
    {"change_class_newly_reached", "Mới được tiếp cận"},
    {"change_class_newly_unreached", "Không còn được tiếp cận"},
    {"change_class_status_changed", "Đổi diện nghèo (tiếp cận như cũ)"},
    {"change_class_added", "Hộ mới (chỉ có ở lần sau)"},
    {"change_class_removed", "Không còn (chỉ có ở lần trước)"},
    {"change_map_intro",
     "Ấp/khóm tô màu theo thay đổi của trọng số khoảng trống: xanh nơi khoảng trống giảm, đỏ nơi tăng, nhạt nơi không "
     "đổi. Bấm vào một ấp/khóm để xem số liệu trước và sau."},
    {"change_legend_title", "Thay đổi trọng số khoảng trống"},
    {"change_legend_down_more", "Khoảng trống giảm từ {value} trở lên"},
    {"change_legend_down", "Khoảng trống giảm"},
    {"change_legend_same", "Không đổi"},
    {"change_legend_up", "Khoảng trống tăng"},
    {"change_legend_up_more", "Khoảng trống tăng từ {value} trở lên"},
    {"change_col_reached_before", "Được tiếp cận (trước)"},
    {"change_col_reached_after", "Được tiếp cận (sau)"},
    {"change_col_gap_before", "Trọng số khoảng trống (trước)"},
    {"change_col_gap_after", "Trọng số khoảng trống (sau)"},
    {"change_col_gap_delta", "Thay đổi trọng số khoảng trống"},
    {"change_col_rate_before", "Tỷ lệ khoảng trống (trước)"},
    {"change_col_rate_after", "Tỷ lệ khoảng trống (sau)"},
    {"change_none_improved", "Không ấp/khóm nào giảm trọng số khoảng trống."},
    {"change_none_worsened", "Không ấp/khóm nào tăng trọng số khoảng trống."},
    {"change_improved_intro",
     "{shown} ấp/khóm giảm trọng số khoảng trống nhiều nhất, trong {total} ấp/khóm có khoảng trống giảm."},
    {"change_worsened_intro",
     "{shown} ấp/khóm tăng trọng số khoảng trống nhiều nhất, trong {total} ấp/khóm có khoảng trống tăng."},
    {"change_no_groups", "Không có nhóm nào được so sánh."},
    {"change_no_unit", "(không có đơn vị)"},
    {"change_method",
     "Hộ được khớp theo mã hộ, ấp/khóm theo mã ấp và đơn vị theo tên; không khớp theo vị trí và không phỏng đoán. Một "
     "hộ có ở cả hai lần chạy là mới được tiếp cận hoặc không còn được tiếp cận khi việc tiếp cận (bất kỳ kênh nào) "
     "thay đổi, nếu không thì là đổi diện nghèo khi chỉ diện nghèo thay đổi, còn lại là không đổi; hộ chỉ có ở một lần "
     "chạy là hộ mới hoặc không còn. Số liệu của một ấp/khóm hay đơn vị là số liệu mỗi lần chạy đã tính; ấp/khóm chỉ "
     "có ở một lần chạy được tính là 0 ở lần kia."},
};

}  // namespace

const StringTable& report_strings(Language language) {
  return language == Language::en ? k_en : k_vi;
}

const std::set<std::string, std::less<>>& report_untranslated_keys() {
  // Units and symbols read the same in Vietnamese and English.
  static const std::set<std::string, std::less<>> keys = {"unit_m"};
  return keys;
}

std::vector<std::string> placeholders(std::string_view text) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string_view::npos) {
    const std::size_t end = text.find('}', pos + 1);
    if (end == std::string_view::npos) break;
    names.emplace_back(text.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return names;
}

std::string fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string>> values) {
  std::string out;
  out.reserve(text.size() + 64);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find('}', open + 1);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    bool found = false;
    for (const auto& [key, value] : values) {
      if (key == name) {
        out += value;
        found = true;
        break;
      }
    }
    if (!found) {
      throw Error(ErrorCode::internal, "report text has no value for placeholder {" + std::string(name) + "}");
    }
    pos = close + 1;
  }
  out.append(text.substr(pos));
  return out;
}

const std::string& text_of(const StringTable& table, std::string_view key) {
  const auto it = table.find(key);
  if (it == table.end()) throw Error(ErrorCode::internal, "report string '" + std::string(key) + "' is missing");
  return it->second;
}

}  // namespace infogap::detail
