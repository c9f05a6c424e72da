"""Acoustics through Python (ACOUSTICS.md): the ISO 9613-2 Table 2 reference values, an independent
Python implementation of ISO 9613-1/-2 formulas, vectorisation, keyword parameters and errors."""
import math

import numpy as np
import pytest

import infogap

BANDS_HZ = [1000.0 * 10.0 ** (k / 10.0) for k in range(-12, 10, 3)]   # exact midband frequencies
A_WEIGHTING = [-26.2, -16.1, -8.6, -3.2, 0.0, 1.2, 1.0, -1.1]

# ISO 9613-2 Table 2 (as printed in ACOUSTICS.md): alpha in dB/km at 101.325 kPa.
TABLE_2 = {
    (10, 70): [0.1, 0.4, 1.0, 1.9, 3.7, 9.7, 32.8, 117],
    (20, 70): [0.1, 0.3, 1.1, 2.8, 5.0, 9.0, 22.9, 76.6],
    (30, 70): [0.1, 0.3, 1.0, 3.1, 7.4, 12.7, 23.1, 59.3],
    (15, 20): [0.3, 0.6, 1.2, 2.7, 8.2, 28.2, 88.8, 202],
    (15, 50): [0.1, 0.5, 1.2, 2.2, 4.2, 10.8, 36.2, 129],
    (15, 80): [0.1, 0.3, 1.1, 2.4, 4.1, 8.3, 23.7, 82.8],
}


def alpha_reference(f, t_c, rh, pa=101.325):
    """ISO 9613-1 absorption, dB/km, written from ACOUSTICS.md independently of the engine."""
    pr, t0, t01 = 101.325, 293.15, 273.16
    t = t_c + 273.15
    c = -6.8346 * (t01 / t) ** 1.261 + 4.6151
    h = rh * 10.0 ** c * (pr / pa)
    fro = (pa / pr) * (24 + 4.04e4 * h * (0.02 + h) / (0.391 + h))
    frn = (pa / pr) * (t / t0) ** -0.5 * (9 + 280 * h * math.exp(-4.170 * ((t / t0) ** (-1 / 3) - 1)))
    a = 8.686 * f * f * (1.84e-11 * (pr / pa) * (t / t0) ** 0.5 + (t / t0) ** -2.5 * (
        0.01275 * math.exp(-2239.1 / t) / (fro + f * f / fro) + 0.1068 * math.exp(-3352.0 / t) / (frn + f * f / frn)))
    return a * 1000.0


def ground_reference(hs, hr, dp, gs, gm, gr):
    """ISO 9613-2 general method (7.3.1), per band, from ACOUSTICS.md."""
    e = math.exp

    def ap(h):
        return 1.5 + 3.0 * e(-0.12 * (h - 5) ** 2) * (1 - e(-dp / 50)) + 5.7 * e(-0.09 * h * h) * (1 - e(-2.8e-6 * dp * dp))

    def bp(h):
        return 1.5 + 8.6 * e(-0.09 * h * h) * (1 - e(-dp / 50))

    def cp(h):
        return 1.5 + 14.0 * e(-0.46 * h * h) * (1 - e(-dp / 50))

    def dpf(h):
        return 1.5 + 5.0 * e(-0.9 * h * h) * (1 - e(-dp / 50))

    q = 0.0 if dp <= 30 * (hs + hr) else 1 - 30 * (hs + hr) / dp

    def region(g, h):
        return [-1.5, -1.5 + g * ap(h), -1.5 + g * bp(h), -1.5 + g * cp(h), -1.5 + g * dpf(h)] + [-1.5 * (1 - g)] * 3

    am = [-3 * q] + [-3 * q * (1 - gm)] * 7
    return [s + r + m for s, r, m in zip(region(gs, hs), region(gr, hr), am)]


@pytest.mark.parametrize("t_c,rh", sorted(TABLE_2))
def test_iso_9613_2_table_2(t_c, rh):
    got = infogap.atmospheric_absorption(np.array(BANDS_HZ), t_c, rh)
    for f, printed, value in zip(BANDS_HZ, TABLE_2[(t_c, rh)], got):
        tol = 0.06 if printed < 100 else 0.005 * printed   # dB/km: ISO prints 0.1 dB/km or 3 digits
        assert value == pytest.approx(printed, abs=tol), f"{f:.1f} Hz at {t_c} °C / {rh} %"


def test_absorption_matches_the_formula_including_pressure():
    rng = np.random.default_rng(7)
    for _ in range(50):
        f, t, rh, pa = rng.uniform(50, 10000), rng.uniform(-10, 40), rng.uniform(5, 100), rng.uniform(80, 105)
        assert infogap.atmospheric_absorption(f, t, rh, pa) == pytest.approx(alpha_reference(f, t, rh, pa), rel=1e-9)
    # highland pressure changes the result (the pressure term is kept)
    assert infogap.atmospheric_absorption(4000, 20, 50, 85.0) != pytest.approx(
        infogap.atmospheric_absorption(4000, 20, 50), rel=1e-3)


def test_absorption_broadcasts_and_returns_a_float_for_scalars():
    assert isinstance(infogap.atmospheric_absorption(1000, 20, 70), float)
    grid = infogap.atmospheric_absorption(np.array(BANDS_HZ)[:, None], 20, np.array([[20.0, 50.0, 80.0]]))
    assert grid.shape == (8, 3)
    assert grid[5, 1] == pytest.approx(alpha_reference(BANDS_HZ[5], 20, 50.0), rel=1e-9)


@pytest.mark.parametrize("ground", [0.0, 0.5, 1.0, (0.0, 1.0, 0.3)])
def test_point_source_levels_match_iso_9613_2(ground):
    lw = [93.0, 95, 97, 99, 98, 96, 94, 90]
    src, rcv = (10.0, 10.0, 1.0), (200.0, 50.0, 4.0)
    got = infogap.point_source_levels(lw, src, rcv, ground, 20.0, 70.0)
    d = math.dist(src, rcv)
    dp = math.dist(src[:2], rcv[:2])
    gs, gm, gr = ground if isinstance(ground, tuple) else (ground,) * 3
    agr = ground_reference(src[2], rcv[2], dp, gs, gm, gr)
    for j in range(8):
        expected = lw[j] - (20 * math.log10(d) + 11) - alpha_reference(BANDS_HZ[j], 20, 70) * d / 1000 - agr[j]
        assert got[j] == pytest.approx(expected, abs=1e-6)   # dB
    # the GroundG form and the tuple form agree
    if isinstance(ground, tuple):
        same = infogap.point_source_levels(lw, src, rcv, infogap.GroundG(*ground), 20.0, 70.0)
        np.testing.assert_allclose(same, got, atol=1e-12)


def test_point_source_levels_take_one_lw_for_all_bands():
    one = infogap.point_source_levels(93.0, (0, 0, 1), (100, 0, 1.5), 0.5, 20, 70)
    eight = infogap.point_source_levels([93.0] * 8, (0, 0, 1), (100, 0, 1.5), 0.5, 20, 70)
    np.testing.assert_array_equal(one, eight)


def test_a_weighted_energy_sum():
    levels = np.array([70.0, 68, 66, 64, 62, 60, 58, 56])
    expected = 10 * math.log10(sum(10 ** ((lv + a) / 10) for lv, a in zip(levels, A_WEIGHTING)))
    assert infogap.a_weighted(levels) == pytest.approx(expected, abs=1e-9)   # dB(A)
    stacked = infogap.a_weighted(np.stack([levels, levels - 10.0]))
    np.testing.assert_allclose(stacked, [expected, expected - 10.0], atol=1e-9)
    with_silence = levels.copy()
    with_silence[0] = -np.inf   # a band with no energy contributes nothing
    e2 = 10 * math.log10(sum(10 ** ((lv + a) / 10) for lv, a in zip(levels[1:], A_WEIGHTING[1:])))
    assert infogap.a_weighted(with_silence) == pytest.approx(e2, abs=1e-9)
    with pytest.raises(ValueError):
        infogap.a_weighted([1.0, 2.0, 3.0])


def test_horn_level_is_vectorised_and_directivity_is_minus_6_db_at_half_beam():
    d = np.array([5.0, 50.0, 200.0, 600.0])
    on_axis = infogap.horn_level_dba(d)
    assert on_axis.shape == (4,) and np.all(np.diff(on_axis) < 0)
    for di, li in zip(d, on_axis):
        assert infogap.horn_level_dba(float(di)) == pytest.approx(li, abs=1e-12)
    aimed = infogap.horn_level_dba(d, 45.0, azimuth_deg=0.0, beamwidth_deg=90.0)
    np.testing.assert_allclose(aimed - on_axis, -6.0, atol=1e-9)   # dB, half the −6 dB beam
    # the A-weighted band sum of horn_band_levels is horn_level_dba
    bands = infogap.horn_band_levels(200.0)
    assert infogap.a_weighted(bands) == pytest.approx(on_axis[2], abs=1e-9)


def test_audible_range_is_where_the_level_meets_ambient_plus_snr():
    params = dict(power_w=30, sensitivity_db=110, height_m=8, ambient_dba=45, required_snr_db=15, ground_g=1.0)
    r = infogap.audible_range(**params)
    assert 0 < r < infogap.k_validity_limit_m * 5
    level = infogap.horn_level_dba(np.array([r - 1.0, r + 1.0]), **params)
    assert level[0] >= 60.0 > level[1]     # dB(A): 45 + 15 crossed within ±1 m
    louder_ambient = infogap.audible_range(**{**params, "ambient_dba": 55})
    indoors = infogap.audible_range(**params, facade_loss_db=10)
    assert louder_ambient < r and indoors < r
    # objects and keywords give the same answer
    horn = infogap.Horn(power_w=30, sensitivity_db=110, height_m=8)
    lis = infogap.Listening(ambient_dba=45, required_snr_db=15, ground_g=1.0)
    assert infogap.audible_range(horn, lis) == r


def test_ground_and_humidity_change_the_level():
    hard = infogap.horn_level_dba(400.0, ground_g=0.0)
    porous = infogap.horn_level_dba(400.0, ground_g=1.0)
    assert hard != pytest.approx(porous, abs=0.1)
    dry = infogap.horn_level_dba(400.0, humidity_pct=20)
    humid = infogap.horn_level_dba(400.0, humidity_pct=90)
    assert dry != pytest.approx(humid, abs=0.01)


def test_acoustic_errors():
    with pytest.raises(infogap.InvalidInput):
        infogap.atmospheric_absorption(1000, 20, 150)        # humidity out of [0, 100]
    with pytest.raises(ValueError):
        infogap.point_source_levels([90.0] * 3, (0, 0, 1), (10, 0, 1), 0.5, 20, 70)
    with pytest.raises(TypeError, match="unknown acoustic parameter"):
        infogap.audible_range(power=30)
    with pytest.raises(ValueError):
        infogap.audible_range(beamwidth_deg=0.0, azimuth_deg=0.0)


def test_parameter_objects_have_the_documented_defaults():
    h, lis, a = infogap.make_parameters()
    assert (h.power_w, h.sensitivity_db, h.height_m, h.beamwidth_deg) == (30.0, 110.0, 8.0, 90.0)
    assert math.isnan(h.azimuth_deg)
    assert (lis.ambient_dba, lis.required_snr_db, lis.receiver_height_m, lis.facade_loss_db) == (45.0, 10.0, 1.5, 0.0)
    assert (a.temperature_c, a.humidity_pct, a.pressure_kpa) == (28.0, 80.0, 101.325)
    assert list(infogap.k_a_weighting_db) == A_WEIGHTING
    np.testing.assert_allclose(infogap.k_octave_bands_hz, BANDS_HZ, rtol=1e-12)
