"""Thread pages (a question or post, then its replies) and site chrome around them, in the layouts
of several engines. Every page here is written for the test."""

from __future__ import annotations

from comment_graph.segment import segment_text

STACK = """Stack Overflow
About
Products
Log in

How do I make pandas groupby keep rows with missing keys?

Asked 2 years ago
Modified 1 year ago

27

When I group a frame by a column that has NaN in it, those rows vanish from the result. I expected them to form their own group.

df.groupby("city").size()

pandas group-by missing-data

share improve this question follow

asked Feb 2, 2022 at 9:14
noor_a
412 3 9

Which pandas version? The behaviour changed recently. – Tomek W Feb 2, 2022 at 9:20

Pass dropna=False, it has been there since 1.1. – gw_lin Feb 2, 2022 at 9:31

2 Answers
Sorted by: Highest score (default)

40

Use groupby("city", dropna=False). Since pandas 1.1 the missing keys form a group of their own, which is what you want.

share improve this answer follow

answered Feb 2, 2022 at 9:40
Ruth Okafor
9,102 4 40 61
"""


def test_a_count_heading_does_not_make_the_question_a_profile_header():
    seg = segment_text(STACK)
    joined = "\n".join(c.text for c in seg.comments)
    assert "When I group a frame by a column" in joined
    assert seg.comments[0].text.startswith("When I group")


def test_comments_signed_with_name_and_date_end_there():
    seg = segment_text(STACK)
    signed = [c.text for c in seg.comments if "Feb 2, 2022 at 9:" in c.text]
    assert len(signed) == 2 and signed[0].startswith("Which pandas") and signed[1].startswith("Pass dropna")


def test_code_opening_in_lower_case_is_not_a_quote():
    seg = segment_text(STACK)
    assert not any("df.groupby" in q.text for c in seg.comments for q in c.quotes)


HN = """Hacker News new | past | comments | ask | show | jobs | submit login

Why column stores compress so well (example.org)

212 points by pmarsh 6 hours ago | hide | past | favorite | 48 comments

quietfox 5 hours ago | next [–]

Run-length encoding does most of the work once the column is sorted.

reply

tmoreau 4 hours ago | parent | next [–]

Sorting by the lowest-cardinality column first matters more than the codec you pick.

reply

Guidelines | FAQ | Lists | API | Security | Legal | Apply to YC | Contact
"""

BLOG = """Posted in Databases | Tagged compression, storage | 2 Comments

← Older post: Indexes explained        Newer post: Vacuuming in practice →

2 thoughts on “Why column stores compress so well”

Dana Ruiz
March 3, 2024 at 10:15 am

The section on dictionary encoding finally made it click for me, thank you.

Reply

Ivo Petrov
March 4, 2024 at 8:02 pm

Would love a follow-up on how updates work when the data is compressed like this.

Reply

Leave a Reply

Your email address will not be published. Required fields are marked *
"""

MASTODON = """hachyderm.io is one of the many independent Mastodon servers you can use to participate in the fediverse.
Lena Hart
@lena@hachyderm.io
Column stores are underrated for logs. Half our bill went away after the switch.
3h
Omar Said
@omar@fosstodon.org
@lena which one did you pick? We are weighing two of them right now.
2h
"""


def test_site_chrome_of_thread_pages_stays_out_of_comments():
    for page, chrome in ((HN, ("Hacker News new", "(example.org)", "Guidelines | FAQ")),
                         (BLOG, ("Posted in", "← Older post", "thoughts on", "Your email address")),
                         (MASTODON, ("independent Mastodon servers",))):
        seg = segment_text(page)
        assert len(seg.comments) == 2, [c.text for c in seg.comments]
        joined = "\n".join(c.text for c in seg.comments)
        assert not [c for c in chrome if c in joined]


def test_a_profile_card_below_site_navigation_names_the_owner():
    page = ("ForumFront\n\nHome Recent Archive About Log In\n\nbluebird_17\n\nKarma: 1,204\n\n"
            "I think the second experiment is underpowered: forty participants cannot detect an effect this small.\n\n"
            "Thanks, the appendix answers my question about the exclusion criteria.\n")
    seg = segment_text(page)
    assert seg.page_author == "bluebird_17"
    assert [c.text[:6] for c in seg.comments] == ["I thin", "Thanks"]
