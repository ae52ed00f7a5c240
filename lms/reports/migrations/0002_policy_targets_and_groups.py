"""The policy's numbers (../shared/context/CONTEXT.md) as editable targets, and the officials' groups."""
from django.db import migrations

TARGETS = [
    # code, label, content kind counted ("" = not platform content), quality only, target
    ("online-courses", "省级精品在线开放课程", "course", True, 500),
    ("resource-libraries", "省级专业教学资源库", "library", False, 50),
    ("teaching-standards", "专业教学标准", "", False, 100),
    ("high-level-colleges", "高水平高职学校", "", False, 10),
    ("high-level-specialty-groups", "高水平专业群", "", False, 30),
    ("quality-secondary-schools", "优质中职学校", "", False, 35),
    ("quality-majors", "优质专业", "", False, 100),
    ("enterprise-practice-stations", "教师企业实践流动站", "", False, 100),
    ("skill-heritage-studios", "技艺技能传承创新平台", "", False, 100),
    ("teaching-innovation-teams", "教师教学创新团队", "", False, 100),
]


def forwards(apps, schema_editor):
    PolicyTarget = apps.get_model("reports", "PolicyTarget")
    for code, label, kind, quality_only, target in TARGETS:
        PolicyTarget.objects.get_or_create(code=code, cluster="", defaults={
            "label": label, "content_kind": kind, "quality_only": quality_only, "target": target,
            "deadline_year": 2025,
        })
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_ct, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access, _ = Permission.objects.get_or_create(content_type=admin_ct, codename="access_admin",
                                                 defaults={"name": "Can access Wagtail admin"})
    target_ct, _ = ContentType.objects.get_or_create(app_label="reports", model="policytarget")
    viewers, _ = Group.objects.get_or_create(name="数据看板")
    viewers.permissions.add(access)
    province, _ = Group.objects.get_or_create(name="省级教育厅")
    province.permissions.add(access)
    for action in ("add", "change", "delete", "view"):
        perm, _ = Permission.objects.get_or_create(
            content_type=target_ct, codename=f"{action}_policytarget",
            defaults={"name": f"Can {action} policy target"},
        )
        province.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
