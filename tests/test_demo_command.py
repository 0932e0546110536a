from django.core.management import call_command

from programmes.models import Programma


def test_load_demo_command_loads_both_programmes_and_says_so(db, capsys):
    assert not Programma.objects.exists()  # a fresh database: the shared demo is not in it

    call_command("load_demo")

    out = capsys.readouterr().out
    assert "nieuw" in out
    assert "koers-demo" in out
    assert set(Programma.objects.values_list("slug", flat=True)) == {"avk", "kvnh"}
