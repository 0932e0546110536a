from django.urls import reverse

from tests import builders


def test_not_found_page_is_dutch(client, cast):
    client.force_login(cast["lezer"])

    response = client.get("/programmas/bestaat-niet/")

    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_forbidden_page_names_the_reason_in_dutch(client, cast, prog):
    goal = builders.goal_chain(prog)
    client.force_login(cast["lezer"])

    response = client.get(
        reverse("doelenboom:edit", args=[prog.slug, "operationeel_doel", goal.pk])
    )

    assert response.status_code == 403
    assert "U mag de doelenboom van dit programma niet bewerken." in response.content.decode()
