"""Word lists for the benchmark corpus (tests/perf/corpus.py): a probation-service blog like the seeds' one.

Sentences are made from these parts, so comments read as English rather than word salad, and no part holds a
digit: the only times in a comment are the mentions the planner puts there, so the manifest can count them.
"""

from __future__ import annotations

BLOG_TITLE = "Supervision Matters"
BLOG_DESCRIPTION = "News, views and gossip from the front line of community justice (a synthetic benchmark blog)"
OWNER_NAME = "Sam Okafor"

# Post titles are TITLE_SUBJECTS x TITLE_TOPICS x TITLE_ENDINGS, taken through a bijection of the post number:
# 27,000 distinct titles (and slugs) before any repeats. No subject's slug is a word-prefix of another's, and the
# same holds for topics and endings, so distinct triples give distinct slugs.
TITLE_SUBJECTS = (
    "Probation", "Prisons", "The Courts", "Napo", "Unpaid Work", "Resettlement", "Staff Morale", "The Inspectorate",
    "Caseloads", "Training", "Housing", "Mental Health", "Youth Justice", "Sentencing", "Recruitment",
    "Privatisation", "Approved Premises", "Victim Work", "Public Protection", "Offender Management", "Partnerships",
    "Supervision", "Community Orders", "Electronic Tagging", "Drug Services", "Court Reports", "Pay and Pensions",
    "Office Life", "Local Teams", "The Ministry",
)
TITLE_TOPICS = (
    "Under Pressure", "in Crisis", "Revisited", "After the Reforms", "and the Market", "Behind Closed Doors",
    "by Numbers", "in Practice", "on the Brink", "Reconsidered", "Without Funding", "and Accountability",
    "in Transition", "Going Backwards", "and the Public", "at the Crossroads", "Under Review", "Ten Years On",
    "in the Spotlight", "Under New Management", "and the Unions", "Without a Plan", "and Common Sense", "on Trial",
    "Lost in Translation", "on the Front Line", "in the Dark", "and the Budget", "Beyond the Headlines",
    "in Question",
)
TITLE_ENDINGS = (
    "", ": a View from the Office", " - Part Two", ": Your Comments", ": Another Update", " (Again)",
    ": What Went Wrong", ": Some Good News", ": the Official Line", ": Questions Remain", " - a Reader Writes",
    ": Early Days", ": the Fallout", ": Where Next?", ": Listening to Staff", " - Some Thoughts",
    ": Myths and Facts", ": the Long Read", ": Short and Sweet", ": a Postscript", ": Any Answers?",
    ": In Brief", " - the Sequel", ": Déjà Vu", ": Mixed Messages", ": Still Waiting", ": Rumours",
    ": Reality Check", ": Lessons Learnt", ": the Bigger Picture",
)

# About thirty labels, a few with characters that need escaping somewhere (&, ', non-ASCII).
LABELS = (
    "probation", "prisons", "TR", "NPS", "CRC", "Napo", "MoJ", "HMPPS", "guest blog", "unpaid work", "courts",
    "mental health", "housing", "politics", "inspection", "staff", "training", "privatisation", "rehabilitation",
    "homelessness", "drugs", "youth justice", "victims", "sentencing", "reform", "budget", "IT systems",
    "Q&A", "reader's letters", "café society",
)

# Comment and post sentences: a subject, a verb that agrees with it, an object and maybe a tail.
SINGULAR_SUBJECTS = (
    "The Ministry", "Senior management", "The new provider", "Our team", "Nobody in the office", "The inspectorate",
    "The union", "My line manager", "The latest report", "This government", "The press office", "Head office",
    "The regional director", "Anyone with any sense", "The old service", "Our local manager", "The board",
    "Each new minister", "The training team", "The IT department", "The senior leadership",
)
PLURAL_SUBJECTS = (
    "Most of the officers I work with", "The courts", "The consultants", "Experienced colleagues", "The agency staff",
    "Our partners", "The people we supervise", "The magistrates", "Half the managers",
)
# (after a singular subject, after a plural one)
VERBS = (
    ("has quietly ignored", "have quietly ignored"), ("still refuses to admit", "still refuse to admit"),
    ("keeps promising", "keep promising"), ("was never told about", "were never told about"),
    ("will happily take credit for", "will happily take credit for"),
    ("has completely underestimated", "have completely underestimated"),
    ("cannot seem to understand", "cannot seem to understand"),
    ("has spent years talking about", "have spent years talking about"),
    ("seems to have forgotten", "seem to have forgotten"), ("is finally waking up to", "are finally waking up to"),
    ("never really grasped", "never really grasped"),
    ("has been warning everyone about", "have been warning everyone about"),
    ("would rather not discuss", "would rather not discuss"), ("is now trying to fix", "are now trying to fix"),
    ("has made a mess of", "have made a mess of"), ("is paying the price for", "are paying the price for"),
    ("has no answer to", "have no answer to"), ("was right all along about", "were right all along about"),
    ("keeps changing its mind about", "keep changing their minds about"), ("has lost sight of", "have lost sight of"),
    ("quietly dropped", "quietly dropped"), ("is still arguing about", "are still arguing about"),
    ("knows perfectly well about", "know perfectly well about"), ("has been blamed for", "have been blamed for"),
    ("will not be measured on", "will not be measured on"), ("was never consulted on", "were never consulted on"),
    ("is still recovering from", "are still recovering from"), ("has been sitting on", "have been sitting on"),
    ("talks endlessly about", "talk endlessly about"), ("cannot afford to ignore", "cannot afford to ignore"),
)
OBJECTS = (
    "the scale of the problem", "the workload we carry", "the cost of agency staff",
    "what supervision actually involves", "the basic needs of the people we work with", "the waiting lists",
    "the state of the estate", "the morale in the offices", "the training of new officers",
    "the gaps in the rota", "the housing crisis", "the lack of mental health provision", "the new operating model",
    "the latest restructure", "the shortage of experienced staff", "the failed contracts",
    "the promises made to staff", "the risk assessments", "the court backlog", "the unpaid work placements",
    "the computer system", "the exit interviews", "the sickness figures", "the recall rates",
    "the reports nobody reads", "the vacancies in every team", "the voluntary sector", "the victims' experience",
    "the people leaving custody", "the professional judgement of staff",
)
TAILS = (
    "", "", "", "", " and everyone can see it", " despite all the warnings", " for the third year running",
    " at every single meeting", " while the caseloads keep rising", " as far as I can tell", " once again",
    " without asking the people who do the work", " and then wonders why nothing changes", " in my experience",
    " behind closed doors", " long before the last reorganisation", " with predictable results",
    " and nobody seems surprised", " if the rumours are true", " whatever the press release says",
)
QUESTIONS = (
    "Does anyone really believe this will work?", "Who exactly signed this off?", "Where is the money going?",
    "Has anyone asked the staff?", "What happened to the consultation?", "Why does nobody ever learn?",
    "Is it any wonder people are leaving?", "How much longer can this go on?", "Who is going to pay for it?",
    "Has anything actually changed?",
)
OPENERS = (
    "Spot on.", "Well said.", "Thanks for this.", "I could not agree more.", "Interesting post.",
    "Sadly this rings true.", "Not in my area.", "Great piece.", "Hear, hear.", "I am not so sure.",
    "With respect, I disagree.", "Brilliant and perceptive.", "This made me laugh.", "Depressing but accurate.",
)
CLOSERS = (
    "Just my two pennies worth.", "Keep up the good work.", "Rant over.", "Thank you for keeping this blog going.",
    "Stay strong everyone.", "Watch this space.", "Enough said.", "Sorry for the long comment.",
    "Make of that what you will.", "I rest my case.",
)
LIST_ITEMS = (
    "Immediate access to decent mental health services", "Properly funded drug and alcohol treatment",
    "Affordable and secure accommodation", "Manageable caseloads", "Supervision that is more than a tick box",
    "Time to build a working relationship", "Training that is not just an online module",
    "Swift and adequate benefit payments", "Secure, long-term employment opportunities",
    "A computer system that works", "Local managers with the power to decide", "Family support",
    "Bereavement counselling", "Effective social work services", "The right to fail and to try again",
)
HEADINGS = (
    "Cultural change", "Data sharing", "Fragmentation", "Duplication", "Transparency", "Workloads", "Estates",
    "Training", "Recruitment", "Accountability", "The view from the office", "What happens next",
)
LINK_HOSTS = ("www.example.org", "news.example.com", "www.example.net", "justice.example.gov", "blog.example.co.uk")
LINK_PATHS = (
    "news/probation-reform", "story/prisons-in-crisis", "report/unpaid-work", "comment/the-state-of-probation",
    "article/staff-shortages", "opinion/what-works", "analysis/housing-on-release", "news/court-backlog",
)
PSEUDONYMS = (
    "Getafix", "Old Lag", "Ex-PO", "Netnipper", "Tired PSO", "Jaded of Kent", "Northern Officer", "Ms Marple",
    "Grumpy Old Man", "Not Waving", "Court Duty", "Basil", "Purple Futures Watcher", "Deep Throat",
    "Retired and Relieved", "Blue Sky Thinker", "Cassandra", "The Gaffer", "Anonymous Coward", "Mr Pink",
)
