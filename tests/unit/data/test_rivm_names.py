"""The RIVM reader names gemeenten from their own rows of a file on its own year's indeling only."""

from pathlib import Path

from wijk.data import readers
from wijk.data.source_files import SourceFile

HEADER = "ID,Leeftijd,Marges,WijkenEnBuurten,Perioden,Gemeentenaam_1,SoortRegio_2,Codering_3,Eenzaam_28\n"
# MADE-UP rows and names; a wijk and a buurt row carry their gemeente's name, as the real file does
ROWS = [
    "1,20300,MW00000,GM9990,2020JJ00,Verzonnenstad,Gemeente,GM9990,40.0\n",
    "2,20300,MW00000,WK999001,2020JJ00,Verzonnenstad,Wijk,WK999001,41.0\n",
    "3,20300,MW00000,BU99900101,2020JJ00,Verzonnenstad,Buurt,BU99900101,42.0\n",
    "4,20300,MW00001,GM9991,2020JJ00,Alleenmarge,Gemeente,GM9991,1.0\n",
]


def _source(tmp_path: Path, year: int) -> SourceFile:
    path = tmp_path / f"rivm_{year}.csv"
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    return SourceFile(path, path.name, "rivm_18plus", year, "50120NED", "t", "o", "l", 0, "", 2020)


def test_a_2020_file_names_its_gemeenten_only(tmp_path):
    names = readers.read(_source(tmp_path, 2020), None).names
    assert names.to_dict("records") == [{"code": "GM9990", "year": 2020, "name": "Verzonnenstad"}]


def test_an_older_year_on_the_2020_indeling_names_nothing(tmp_path):
    res = readers.read(_source(tmp_path, 2016), None)
    assert not res.observations.empty and res.names.empty
