"""Chinese translations of the tasks app's new messages, to be merged into
locale/zh_Hans/LC_MESSAGES/django.po (then `make messages`) and this file deleted.

The tasks app has no plural messages.
"""

ZH = {
    # Forms and models
    "Done today": "今日完成",
    "Plan for tomorrow": "明日计划",
    "Role": "角色",
    "All stores": "全部店铺",
    "Morning (上午)": "上午",
    "Afternoon (下午)": "下午",
    "Evening (晚上)": "晚上",
    "Just a tick": "只需打勾",
    "A note": "一条备注",
    "A number": "一个数字",
    "A link": "一个链接",
    "position": "顺序",
    "title": "标题",
    "guidance": "说明",
    "time of day": "时段",
    "due by": "截止时间",
    "ticking needs": "打勾需要",
    "Empty: every store of the organisation without a list of its own.": (
        "留空：适用于没有专属清单的所有店铺。"
    ),
    "also on rest days": "休息日也执行",
    "Give this list on weekends and public holidays too (customer service, for instance).": (
        "周末和法定节假日也生成这份清单（例如客服）。"
    ),
    "updated by": "修改人",
    "checklist template": "清单模板",
    "checklist templates": "清单模板",
    "all stores": "全部店铺",
    "template": "模板",
    "checklist template item": "清单模板事项",
    "checklist template items": "清单模板事项",
    "generated at": "生成时间",
    "daily checklist": "每日清单",
    "daily checklists": "每日清单",
    "checklist": "清单",
    "template item": "模板事项",
    "done": "已完成",
    "done at": "完成时间",
    "done by": "完成人",
    "note": "备注",
    "number": "数字",
    "link": "链接",
    "checklist item": "清单事项",
    "checklist items": "清单事项",
    "ticked": "打勾",
    "unticked": "取消打勾",
    "item": "事项",
    "at": "时间",
    "action": "操作",
    "value": "内容",
    "checklist change": "清单变更",
    "checklist changes": "清单变更",
    "done today": "今日完成",
    "plan for tomorrow": "明日计划",
    "submitted at": "提交时间",
    "daily report (日报)": "日报",
    "daily reports (日报)": "日报",
    # Services (errors)
    "That store belongs to another organisation.": "该店铺属于其他公司。",
    "This day has not started yet.": "这一天还没到。",
    "This day is read-only now: a day's list and 日报 can be changed until the end of %(last)s.": (
        "这一天已只读：每天的清单和日报最晚可在 %(last)s 当天结束前修改。"
    ),
    "“%(value)s” is not a number.": "“%(value)s”不是数字。",
    "The number is too large.": "数字太大。",
    "Enter a full link, starting with http:// or https://.": "请输入完整链接，以 http:// 或 https:// 开头。",
    "Add a note before ticking this item.": "请先填写备注再打勾。",
    "Enter a number before ticking this item.": "请先填写数字再打勾。",
    "Add a link before ticking this item.": "请先填写链接再打勾。",
    "The note is too long (at most %(max)s characters).": "备注太长（最多 %(max)s 个字）。",
    "Write what you did today.": "请填写今日完成的工作。",
    "Write your plan for tomorrow.": "请填写明日计划。",
    "Too long (at most %(max)s characters).": "内容太长（最多 %(max)s 个字）。",
    # Views (messages)
    "日报 submitted.": "日报已提交。",
    "Checklist saved. Lists generated from now on follow it.": "清单已保存，之后生成的清单按此执行。",
    "Item added. Lists generated from now on include it.": "事项已添加，之后生成的清单会包含它。",
    "Item saved. Days already given keep their copy.": "事项已保存，已生成的日期保持原样。",
    "Item removed. Days already given keep their copy.": "事项已删除，已生成的日期保持原样。",
    # Templates
    "Today's checklist": "今日清单",
    "Team checklists": "团队清单",
    "You hold no role in a store, so you have no daily checklist.": "你在店铺中没有岗位，所以没有每日清单。",
    "This day is read-only.": "这一天已只读。",
    "%(done)s of %(total)s done": "已完成 %(done)s / %(total)s",
    "No checklist for this day. Your ops lead sets up the lists for your role.": (
        "这一天没有清单。你的岗位清单由运营负责人设置。"
    ),
    "A rest day: no checklist.": "休息日：没有清单。",
    "The official holiday calendar for %(year)s is not published yet: working days are assumed to be "
    "Monday to Friday.": "%(year)s 年的官方节假日安排尚未公布：暂按周一至周五为工作日。",
    "Rest day (休息日)": "休息日",
    "Today": "今天",
    "Untick": "取消打勾",
    "Tick": "打勾",
    "by %(time)s": "%(time)s 前",
    "Overdue": "已逾期",
    "How": "怎么做",
    "Note": "备注",
    "Number": "数字",
    "Link": "链接",
    "done at %(time)s": "%(time)s 完成",
    "Person": "人员",
    "late": "逾期完成",
    "overdue": "逾期",
    "日报 (daily report)": "日报",
    "Submitted %(time)s": "%(time)s 提交",
    "changed %(time)s": "%(time)s 修改",
    "Update 日报": "更新日报",
    "Submit 日报": "提交日报",
    "No 日报 for this day.": "这一天没有日报。",
    "Edit checklists": "编辑清单",
    "No lists on this day.": "这一天没有清单。",
    "日报": "日报",
    "Not submitted yet:": "尚未提交：",
    "No 日报 submitted for this day yet.": "这一天还没有人提交日报。",
    "This week (%(week)s)": "本周（%(week)s）",
    "Completion": "完成率",
    "日报 submitted": "已交日报",
    "No lists this week.": "本周没有清单。",
    "Edit checklist": "编辑清单",
    "Changes apply to lists generated from now on; days already given keep their items.": (
        "修改只影响之后生成的清单；已生成的日期保持原样。"
    ),
    "Items": "事项",
    "Up": "上移",
    "Down": "下移",
    "Remove": "删除",
    "New item": "新增事项",
    "Add item": "添加事项",
    "Each role's list, for all stores or one store's own. Changes apply to lists generated from now on; "
    "days already given keep their items.": (
        "每个岗位一份清单，适用于全部店铺或某个店铺专属。修改只影响之后生成的清单；已生成的日期保持原样。"
    ),
    "Also on rest days": "休息日也执行",
    "Active": "启用",
    "No checklists yet.": "还没有清单。",
    "New checklist": "新建清单",
    "A store's own list replaces the all-stores list of that role there; it starts as a copy of it.": (
        "店铺专属清单在该店铺替代该岗位的通用清单；创建时复制通用清单的事项。"
    ),
    "Create": "创建",
}

PLURAL: dict[str, list[str]] = {}
