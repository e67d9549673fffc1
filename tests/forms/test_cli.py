"""The headless path: itops room / plan / form / pdf on a county store."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cli.main import main
from shared.store import Store
from tests.forms.conftest import lead_of, png


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("county")
def test_fill_complete_and_print_headless(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--store", str(tmp_path / "lh"), "--user", "lh_desk"]
    assert run(capsys, "room", "create", "LH-JF01", "龙华信息机房", "--grade", "B", *where)[0] == 0
    code, out, _ = run(capsys, "plan", "create", "龙华机房日常巡检", "--template", "SOP-06", "--rule", "daily",
                       "--start", "2026-11-01", "--end", "2026-11-03", "--room", "LH-JF01", "--shift", "白班@08:30",
                       *where)
    assert code == 0 and "draft" in out
    number = out.split()[2]
    assert run(capsys, "plan", "submit", number, *where)[0] == 0
    lead_of(Store.open_dir(tmp_path / "lh"))
    assert run(capsys, "plan", "approve", number, "--store", str(tmp_path / "lh"), "--user", "lh_lead")[0] == 0
    code, out, _ = run(capsys, "plan", "spawn", "--until", "2026-11-30", *where)
    assert "spawned 3 form record(s)" in out
    record = out.splitlines()[1].split()[0]
    values = [f"{c}=ok" for c in ("H_SAFETY", "A_METER_MATCH", "A_NO_SMELL", "A_NO_WATER", "A_CLEAN", "A_SEALING",
                                   "B_SWITCHES", "B_SPD", "C_ALARMS", "D_LOOK", "D_POSTS", "E_NOISE", "E_DRAIN",
                                   "E_FILTER", "E_OUTDOOR", "F1_PANEL", "F1_CYLINDER", "F1_PIN", "F1_DETECTORS",
                                   "F1_EXTINGUISHER", "F1_BUTTONS", "F1_EXIT_LIGHTS", "G_ACCESS", "G_REGISTER",
                                   "G_CCTV", "H_LEAK", "H_DCIM", "I_LAMPS", "I_NOISE", "I_RACKS", "J_TIDY", "J_LABELS",
                                   "K_LIGHTS")]
    values += ["A_TEMP[冷通道1]=23", "A_TEMP[冷通道2]=35.5", "A_TEMP[冷通道3]=24", "A_RH[冷通道1]=50",
               "A_RH[冷通道2]=52", "A_RH[冷通道3]=49", "A_AUX_TEMP=22", "A_AUX_RH=50", "A_UPS_ROOM_TEMP=24",
               "B_MAINS_V[A相]=221", "B_MAINS_V[B相]=220", "B_MAINS_V[C相]=222", "B_JOINT_TEMP=35",
               "B_PDU_LOAD=55", "C_MODE=逆变", "C_IN_V=220", "C_OUT_V=220", "C_OUT_HZ=50", "C_LOAD[A相]=40",
               "C_LOAD[B相]=42", "C_LOAD[C相]=41", "C_BATT_V=408", "C_BACKUP_MIN=45", "D_ROOM_TEMP=23",
               "E_RUNNING[空调1]=ok", "E_RUNNING[空调2]=abnormal", "E_RETURN_TEMP[空调1]=25",
               "E_RETURN_TEMP[空调2]=33", "E_RETURN_RH[空调1]=50", "E_RETURN_RH[空调2]=48", "E_RUNNING_COUNT=1",
               "E_STANDBY_COUNT=1", "F1_GAS_MODE=自动"]
    code, out, _ = run(capsys, "form", "fill", record, *values, "--remark", "A_TEMP=2号空调停机",
                       "--remark", "E_RUNNING=2号空调压缩机故障",
                       "--remark", "E_RETURN_TEMP=2号空调停机回风偏高", *where)
    assert code == 0 and "ALARM  A_TEMP[冷通道2] = 35.5" in out and "needs a photo" in out
    photo = tmp_path / "photo.png"
    photo.write_bytes(png(text="photo"))
    assert run(capsys, "form", "photo", record, "A_TEMP", str(photo), *where)[0] == 0
    code, _, err = run(capsys, "form", "complete", record, *where)
    assert code == 2 and err.startswith("itops: error: form ") and "F_SIG_EXEC" in err
    assert run(capsys, "form", "sign", record, "--image", str(photo), *where)[0] == 0
    code, out, err = run(capsys, "form", "complete", record, *where)
    assert code == 0 and ": completed" in out, err
    assert "incident INC-" in out
    pdf = tmp_path / "record.pdf"
    assert run(capsys, "pdf", "record", record, "-o", str(pdf), *where)[0] == 0
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "35.5 °C 【告警】" in text and "2号空调停机" in text and record in text
    batch = tmp_path / "batch.pdf"
    code, out, _ = run(capsys, "pdf", "batch", "--room", "LH-JF01", "--month", "2026-11", "-o", str(batch), *where)
    assert code == 0 and "1 records" in out and batch.stat().st_size > 10_000
    code, _, err = run(capsys, "pdf", "batch", "--room", "LH-JF01", "--month", "2026-10", "-o", str(batch), *where)
    assert code == 2 and "no SOP-06 records" in err
    blank = tmp_path / "blank.pdf"
    assert run(capsys, "pdf", "form", "SOP-11", "--blank", "-o", str(blank), *where)[0] == 0
    assert "网络布线" in subprocess.run(["pdftotext", str(blank), "-"], capture_output=True, text=True).stdout
    code, out, _ = run(capsys, "room", "calendar", "LH-JF01", "--month", "2026-11", *where)
    assert "2026-11-01 ✓ done" in out and "2026-11-02 ✗ overdue" in out


def test_validate_reports_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "SOP-99.yaml"
    broken.write_text("code: SOP-99\nversion: '1.0'\nname: 测试\nsections:\n  - code: A\n    name: 甲\n"
                      "    items:\n      - {code: X, name: 温度, type: NUM, normal: [30, 20]}\n", encoding="utf-8")
    code, _, err = run(capsys, "form", "validate", str(broken))
    assert code == 2
    assert err.strip() == f"itops: error: {broken}:8: item X: range [30, 20] has its low end above its high end"
