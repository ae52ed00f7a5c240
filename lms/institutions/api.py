"""Public interface of the institutions app: lookups other apps may use."""
from .models import Cluster, Institution, Region

__all__ = ["Cluster", "Institution", "Region", "cities", "region_subtree_codes"]


def cities():
    """All prefecture-level regions, in code order."""
    return Region.objects.filter(level=Region.Level.CITY).order_by("code")


def region_subtree_codes(region: Region) -> list[str]:
    """The codes of a region and every region beneath it (two levels at most)."""
    codes = [region.code]
    children = list(Region.objects.filter(parent=region).values_list("id", "code"))
    codes += [code for _, code in children]
    codes += list(Region.objects.filter(parent_id__in=[pk for pk, _ in children]).values_list("code", flat=True))
    return codes
