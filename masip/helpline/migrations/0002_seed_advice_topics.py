"""Seed the list of advice topics (synthetic wording, MASIP's own), about
four per area. Managers maintain the list afterwards on /helpline/advice/."""

from django.db import migrations

TOPICS = {
    "law": [
        ("Stalking is a crime", "What the law says stalking is, and that the caller does not need proof to report it."),
        ("Reporting to the police", "How to report (999 in an emergency, 101 otherwise) and what to ask for."),
        ("What happens after a report", "Statements, crime numbers, and asking for a named officer."),
        ("Stalking in the workplace", "What an employer can do, and reporting stalking by a colleague or client."),
    ],
    "evidence": [
        ("Keeping a diary", "Dates, times, what happened and who saw it, written as soon as possible."),
        ("Saving messages and posts", "Screenshots with dates, saving voicemails, not deleting accounts."),
        ("Witnesses and neighbours", "Asking others to note what they see, and doorbell or car cameras."),
        ("Keeping gifts and letters", "Keeping items sent or left, handled as little as possible."),
    ],
    "personal_safety": [
        ("Safety planning", "Planning routes, routines and what to do in an emergency."),
        ("Telling trusted people", "Letting family, friends or colleagues know, with a code word if needed."),
        ("Home security", "Locks, lighting and a safe room; local schemes that can help."),
        ("Emergency calls", "Calling 999 and the Silent Solution (55) when they cannot speak."),
    ],
    "digital_safety": [
        ("Checking for trackers", "Looking for tracking devices on cars and in bags, and phone alerts for them."),
        ("Securing accounts", "Changing passwords on a safe device, two-step sign-in, checking signed-in devices."),
        ("Location sharing", "Turning off location sharing and checking which apps can see where they are."),
        ("Spyware and stalkerware", "Signs of spyware, and getting a phone checked before removing anything."),
    ],
    "orders": [
        ("Stalking protection orders", "What a stalking protection order is and that the police apply for it."),
        ("Restraining orders", "Orders made by a court on conviction or acquittal."),
        ("Non-molestation orders", "Civil orders against a partner, ex-partner or family member."),
        ("Reporting breaches", "Reporting every breach of an order or bail condition to the police."),
    ],
    "support": [
        ("Local stalking advocacy", "An independent stalking advocate to support them through the process."),
        ("Domestic abuse services", "Local refuges and outreach where the stalker is a partner or ex-partner."),
        ("Mental health and wellbeing", "GP, talking therapies and crisis lines for the effect stalking has."),
        ("Victim support services", "Free, confidential support for victims of crime, reported or not."),
    ],
}


def seed(apps, schema_editor):
    AdviceTopic = apps.get_model("helpline", "AdviceTopic")
    topics_in = AdviceTopic.objects.using(schema_editor.connection.alias)
    for area, topics in TOPICS.items():
        for position, (title, description) in enumerate(topics, start=1):
            topics_in.get_or_create(
                area=area,
                title=title,
                defaults={"description": description, "position": position * 10},
            )


class Migration(migrations.Migration):
    dependencies = [("helpline", "0001_initial")]

    # Going back leaves the topics in place: contacts may have recorded them
    # as advice given, and going back past 0001 drops the table anyway.
    # (Deleting them here, then dropping the table in the same transaction,
    # is refused on PostgreSQL: the deletes leave deferred checks pending.)
    # Seeding again is idempotent.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
