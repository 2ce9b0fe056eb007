"""Families of words the interpreter reads: aspects, question particles, side-intent cues.

Each aspect is a family of phrasings (standard, colloquial, 重庆话), not one wording, so a
follow-up is understood however it is put. Order matters where families overlap: the
first family whose word appears wins, and more specific words come first.
"""
from __future__ import annotations

import re

# (aspect, words). A message can ask two aspects ("几天能好 收不收钱"): all are found.
ASPECT_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("fee", ("要钱", "收钱", "收费", "费用", "多少钱", "好多钱", "几多钱", "免费", "花钱", "交钱", "给钱", "手续费",
             "工本费", "要不要钱", "贵不贵", "花多少", "缴费", "交费", "收不收", "付费")),
    ("time_limit", ("多久", "多长时间", "好久", "几天", "几个工作日", "时限", "多少天", "啥时候", "什么时候能",
                    "哪天能", "多快", "快不快", "当天", "立等", "马上能", "即时", "拿得到", "拿到证", "到账", "出证", "等多久", "要等", "时间",
                    # "how many days" as 好多钱 asks how much ("好多天拿得到", "几多天", "要好多个工作日"), and the result in hand
                    "好多天", "几多天", "好多个工作日", "多少个工作日", "拿到手")),
    ("online", ("网上", "线上", "手机上", "手机办", "app", "小程序", "微信上", "渝快办上", "网办", "在线",
                "不用去", "不去现场", "预约", "跑几次", "跑几趟", "跑一趟", "跑腿", "邮寄", "快递", "电子",
                "寄到", "寄过来", "寄回来", "寄给", "寄不寄", "寄得到", "能寄", "可以寄")),
    ("department", ("在哪儿", "在哪里", "去哪儿", "去哪里", "在哪", "哪里", "哪儿", "哪点", "哪个部门", "啥子部门", "什么部门", "哪个单位", "哪个窗口",
                    "窗口", "地址", "地点", "电话", "去哪", "找哪个", "找谁", "哪个地方", "上班时间", "办公时间", "下班时间",
                    "周末", "几点", "开门", "节假日",
                    # formal and colloquial where-words ("在何处办理", "跑哪去交", "啥子地方办")
                    "何处", "何地", "什么地方", "啥地方", "啥子地方", "跑哪", "哪个大厅", "哪个网点",
                    # where near the asker ("附近能办不", "就近办理")
                    "附近", "就近", "近点", "离家近")),
    ("materials", ("材料", "资料", "带什么", "带啥", "带些啥", "带哪些", "带个啥", "准备什么", "准备啥", "准备些啥",
                   "准备哪些", "要啥子东西", "啥子东西", "什么东西", "提交什么", "交什么", "交啥", "证件", "证明材料",
                   "复印件", "照片", "要件", "几份", "要些啥", "要啥", "要什么", "需要什么", "需要啥")),
    ("conditions", ("条件", "资格", "符合", "够不够", "能不能办", "可不可以办", "能办不", "能不能申请", "谁可以",
                    "哪些人", "要求", "限制", "本人", "亲自", "代办", "代理", "委托", "别人帮", "帮忙办", "登报",
                    "必须", "规定", "年龄", "满足", "到场", "双方", "一起去", "都要去", "都去", "两个人", "要去不", "去不去",
                    "让别人", "叫别人", "找人办", "找人代", "体检", "检查身体", "能申请不", "可以申请不", "申请得了", "能否申请", "可否申请", "是否可以申请",
                    "得不得行", "得行不", "行不行", "要得不", "要不要得", "得成不", "得不得成", "搞得定不", "弄得成不", "办得成不",
                    "可以不", "得到不", "代为")),
    ("flow", ("怎么办", "咋办", "咋个办", "啷个办", "如何办", "怎么弄", "咋个弄", "咋弄", "啷个弄", "流程", "手续",
              "步骤", "程序", "怎么申请", "咋个申请", "如何申请", "怎样", "咋个补", "怎么补", "咋补", "咋个取",
              "怎么取", "咋个搞", "怎么搞", "咋搞", "办法", "怎么")),
    ("overview", ("介绍", "是什么", "是啥", "啥意思", "概况", "基本情况", "了解一下")),
)
# How often it must be done ("多久一次", "好久审一回", "每年都要报"): the cycle, which guide records hold
# among the conditions (检验周期, 认证周期), not how long one application takes.
HOW_OFTEN = re.compile(r"(?:多久|好久|多长时间|几年|几个月|隔多久|多少年)[^\s，,。？?]{0,3}?(?:一次|一回|一趟|一遍)|"
                       r"每(?:一)?(?:年|个?月|季度|两年|半年)(?:都|也)?(?:要|得|需要|必须)|(?:一|两|半)年一(?:次|回)|"
                       r"周期|频率|定期|"
                       # how many times it may be done ("每年可以取几回", "最多可以领好多次"): a limit of the item (conv11)
                       r"(?:能|可以|可|只能|最多|最多能)(?:取|提|提取|领|领取|办|申请|报|报销|用|补|补办|换)(?:几|多少|好多)(?:次|回)")
# "咋个换", "怎么补办", "如何申请": how to do it, whatever the verb.
FLOW_RE = re.compile(r"(?:怎么|怎样|咋个|咋|啷个|如何|怎么样)(?:才能|才可以|能|可以|去|来)?(?:办|弄|搞|整|换|补|申请|申领|领|取|提|开|考|"
                     r"登记|注销|迁|报名|交|缴|查|处理|操作|备案|认定|参保|上|落|改|修改|更改|变更|更正)")
# "要交些啥子", "带点啥", "拿些什么去": what to bring, whatever the measure word between.
MATERIALS_RE = re.compile(r"(?:带|交|准备|拿|提供|递)(?:些|点|个|点儿|哪)?(?:啥子?|什么|哪些|些啥|啥些)(?:东西|资料|材料|证件)?")
# Somebody else going for the asker, or the asker unable to go ("喊屋头娃儿帮忙去办", "老人走不动",
# "本人来不了"): whether it may be done for them, a condition of the current item.
CONDITIONS_RE = re.compile(r"(?:喊|叫|让|请|找|托)[\u4e00-\u9fff]{0,5}?(?:帮忙|帮我|帮他|帮她|帮着|代替|代办|代领|代交|跑一趟)|"
                           r"帮(?:忙|我|他|她)?去?(?:办|弄|跑|领|交|搞)|代(?:他|她|我|人)(?:办|领|去|交)|"
                           r"(?:喊|叫|让|托)(?!我去)[\u4e00-\u9fff]{1,5}?去(?:办|弄|领|交|得|行|可以|要得)|上门|"
                           r"走不动|走不了|走不开|走路不方便|行动不便|腿脚不(?:好|便|方便|利索)|卧床|瘫痪|住院|来不了|去不了|回不来|赶不回来|过不来|"
                           r"(?:本人|自己|他|她)(?:去|来)?不了|"
                           # whether another party must stamp, sign or agree ("要公司盖章不", "需要业主签字吗",
                           # "得房东同意不"): a requirement of the current item, the party is no item
                           r"(?:要|需要|得|必须|需)(?:[\u4e00-\u9fff]{0,5}?)(?:盖章|盖公章|盖个章|签字|签个字|签名|签章|按手印|同意|授权|担保|"
                           r"出证明|开证明|出具证明|出个证明|开个证明)(?=不|吗|么|嘛|没|才|$|[，,。？?\s])")
# "能否在重庆办理", "可不可以在这边申请": whether it may be done (there) — conditions, weak like the words below.
ABLE_TO_RE = re.compile(r"(?:能否|可否|能不能|可不可以|是否可以|是否能)(?:在[^，,。；;\s]{1,8})?(?:办理|办|申请|申领|领取|补办|换)")
# Office hours asked with 上班/下班/开门 ("周末上班不", "几点下班", "中午上不上班"): where and when the window
# is open (department). The bare word 上班 is the asker's work ("我在渝北上班"), a situation, not a question.
OFFICE_HOURS = re.compile(r"(?:几点|啥时候|什么时候|哪天|周末|周六|周日|周天|星期[六天日]|礼拜[六天]|节假日|放假|中午|晚上|午休|今天|明天|早上)"
                          r"(?:也|还|都|有人|可以|要)?(?:上不上班|上班|下班|开门|开不开门)|"
                          r"上不上班|开不开门|(?:上班|下班|开门)(?:不|吗|没|么|没得|没有|时间|的时间)(?![\u4e00-\u9fff])")
# A request that points back to the document being discussed with a measure word or a pronoun ("想办一张",
# "弄一本", "整一个", "补一张", "那个咋个办"): the current item, whatever situation was told before it.
POINT_BACK = re.compile(r"(?:办|弄|整|搞|补|换|申请|申领|领|开|做|打|拿)(?:一|个|一个)?(?:张|本|个|份)(?:子)?|"
                        r"(?:这个|那个|它)(?=[^\u4e00-\u9fff]|$|要|咋|怎|如何|啷|在|能|可以|得|办|好久|多久)")
# A document named in a told clause ("还没得护照", "身份证掉了"): a measure word after it may point to it instead.
DOCUMENT_NOUN = re.compile(r"[\u4e00-\u9fff]{1,3}?(?:证|卡|照|簿|户口本)")
# Pointing back to something said earlier in the conversation ("刚才那个身份证", "前面问的执照"): an item
# discussed before, not a new search.
EARLIER = re.compile(r"(?:刚才|刚刚|才将|前面|之前|先前|上面|开头|一开始|最开始|头先|上一个|前一个)(?:说的|问的|讲的|提的|提到的|那个|的)?")
# An item named in front of a pointer ("上牌那个要带啥子", "出生证明的那个要好久", "结婚那项"): the words before
# 那个 name the one meant (read on the compact text, pointer words of EARLIER removed).
NAMED_ONE = re.compile(r"^(?:那|还有|就是)?(?P<name>[\u4e00-\u9fff]{2,8}?)(?:的)?(?:那个|那项|那件|那一个|那一项)")
# A told clause asking to do a new thing ("还要办个卖预包装食品的备案"): a pointer after it points to that thing.
WANTS_ANOTHER = re.compile(r"(?:还要|还想|还得|另外要|另外想|也要|也想|顺便)(?:办|弄|整|搞|申请|开)")
# Input-method and dialect spellings of the aspect words (pinyin homophones: 好久 typed 好就, 要带 typed 要代, 能办 typed
# 能半; 重庆话 切 for 去): respelled before the message is read, only where the neighbours make the aspect word clear.
RESPELLINGS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"(?:(?<=[要等得花用需])|^)(?P<a>[多好])[就旧](?=$|[不吗嘛呢哦啊哈？?，,\s]|能|才|可以|拿|到|出|办|弄)"), r"\g<a>久"),
    (re.compile(r"(?<=[要带得需])代(?=些|点|啥|什么|哪些|个啥)|^代(?=些|点|啥|什么|哪些)"), "带"),
    (re.compile(r"(?<=能|哪|儿|里|个|么|以|去|上|样)半(?=$|[不吗嘛呢哦啊理得成好？?，,\s])"), "办"),
    (re.compile(r"(?<=[在去到])那(?=(?:里|儿|点)?(?:办|弄|交|领|补|开|申请|登记)(?:呢|嘛|哦|啊|哇|喃)?[？?]?$)"), "哪"),
    (re.compile(r"(?<=多少|好多|几多)前(?=$|[不吗嘛呢哦啊？?，,\s])"), "钱"),
    (re.compile(r"(?:网商|往上)(?=能|可以|办|申请|弄|搞|交|预约)"), "网上"),
    (re.compile(r"怎门|怎末"), "怎么"),
    (re.compile(r"神马(?=材料|资料|条件|手续|东西|证件)"), "什么"),
    (re.compile(r"手序"), "手续"),
    (re.compile(r"才料|材科"), "材料"),
    (re.compile(r"(?<=[要得己人自能也])切(?=$|[不吗嘛哦办弄交领拿？?]|现场|一趟)|切(?=办|现场|一趟)"), "去"),
)
# The asker's own work or school ("我上班走不开", "他要上学"): not office hours asked.
ASKER_BUSY = re.compile(r"(?:我|我们|他|她|本人|老公|老婆|娃儿)(?:要|得|在|白天|平时)?(?:上班|上学|工作)")
# What the asker went through ("跑了三趟", "等了两个小时"): the story of a complaint, not an item or an aspect.
RAN_ABOUT = re.compile(r"(?:跑|来|去|等|排)了(?:[一两二三四五六七八九十几好多半]+)(?:趟|次|回|天|个小时|小时|个月|上午|下午)")
# Whose household registration it is ("外地户口", "我户口在农村的", "户籍不在本地"): the asker's situation, not 户口 items.
HOUSEHOLD_TOLD = re.compile(r"(?:我的?|他的?|她的?|其|娃儿的?)?(?:(?:外地|外省|外市|农村|城镇|本地|非本地|老家|外籍)(?:户口|户籍)|"
                            r"(?:户口|户籍)(?:是|在|属于|不在)?(?:外地|外省|外市|农村|城镇|本地|老家|这边|重庆|"
                            r"[\u4e00-\u9fff]{2}(?:省|市|县))(?:的)?)")
# An age told ("八十多了", "满六十岁"): the asker's situation, not an item.
AGE_TOLD = re.compile(r"(?:满)?[\d一二三四五六七八九十]+多?岁了?|[五六七八九]十多?了")
# Asking whether something may be done at all ("得不得行", "换得成不", "要得不"): conditions, weak
# beside a more specific aspect ("网上弄得成不" asks online).
PERMISSION_WORDS = ("得不得行", "得行不", "行不行", "要得不", "要不要得", "得成不", "得不得成", "搞得定不", "弄得成不", "办得成不",
                    "可以不", "得到不")
# "要啥/要什么" ask for materials only when nothing more specific is asked ("要什么条件").
WEAK_MATERIAL_WORDS = ("要啥", "要什么", "需要什么", "需要啥", "要些啥")
# "能办不" asks eligibility only when nothing more specific is asked ("网上能办不" asks online).
WEAK_CONDITION_WORDS = ("能不能办", "可不可以办", "能办不", "要去不", "去不去", "能申请不", "可以申请不", "申请得了", "能否申请",
                        "可否申请", "是否可以申请") + PERMISSION_WORDS

# "要户口本不", "需要身份证原件吗", "要带照片不": whether a document is needed, asked of the item
# being discussed (a materials question, not a search for the document's own item).
DOCUMENT_CHECK = re.compile(r"^(?:那|还|那还)?(?:要|需要|得|用|要不要|需不需要)(?:带|交|提供|准备|出示|拿)?(?!办|去|申请|考|换|补)"
                            r".{0,6}?(?:本|证|照片|相片|原件|复印件|证明|卡|合同|户口|表)(?:原件|复印件)?"
                            r"(?:不|吗|么|没得|不嘛|嘛|哇|噻|哦|呢|不哦)?$")

# The same check inside a question that names the item ("结婚登记还要户口本不", "上户口要带结婚证不"):
# the document is a material of that item, not the item asked about.
DOCUMENT_NEEDED = re.compile(r"(?:还|也)?(?:要不要|需不需要|需要|不需要|不要|不用|要|得)(?:带|交|提供|准备|出示|拿)?"
                             r"(?:(?!办|去|申请|考|换|补|上|开|注销|登记|延期)[\u4e00-\u9fff]){0,5}?"
                             r"(?:本|证|照片|相片|原件|复印件|证明|卡|合同|表)(?:原件|复印件)?了?"
                             r"(?:不嘛|没得|吗|么|不|嘛|哇|噻|哦|呢)?")

# "之前帮我办过社保卡 现在想问医保怎么转": what follows the last of these is the question asked.
ASKING_NOW = re.compile(r"(?:现在|这回|这次|我就|就|再)?(?:想问一下|想问下|想问|请问一下|请问|问一下|问下|咨询一下)[，,:：\s]*")

# Dialect and colloquial question particles and fillers: removed to see what is left.
PARTICLES = ("不嘛", "没得", "没有", "不哦", "不呢", "不哇", "嘛", "哇", "噻", "哦", "噢", "喃", "咯", "嗦", "哈",
             "呢", "吗", "啊", "呀", "吧", "么", "啦", "的", "了", "不", "没", "喔", "撒", "诶", "嘞", "咧")
FILLERS = ("那么", "那个", "这个", "那", "还有", "另外", "再问下", "再问一下", "请问", "问一下", "想问下", "想问一下", "想问问", "问问", "问下", "我想问",
           "想问", "麻烦", "你好", "您好", "我", "我们", "它", "这", "要", "能", "可以", "可", "是", "还", "也", "就",
           "得", "去", "在", "好", "换成", "换到", "改成", "办理", "办", "一下", "一哈", "下", "这样", "样", "个", "需要", "请", "问",
           # where the asker lives ("在哪儿登记 我住在南岸": the district is read apart)
           "住在", "家住", "人在",
           # where the asker is and who would go for them ("本人在外地能否委托他人代办")
           "在外地", "外地", "在外省", "外省", "在外头", "外头", "在外面", "外面",
           # what the asker does there ("我在外头打工", "在外地读书"): their situation, not an item
           "打工", "出差", "读书", "上学", "务工",
           # the speaker's emphasis and sequence ("到底要带啥子", "挂了以后好久能补")
           "到底", "究竟", "以后", "之后", "然后", "不在重庆", "不在本地", "在国外", "他人", "别人", "其他人", "找人",
           # what the asker cannot manage, and going in person ("手机上弄不来 可以去现场认证不")
           "弄不来", "搞不来", "整不来", "用不来", "不会弄", "不会用", "不会操作", "操作不来", "现场", "当面", "线下")

# Who the item is for or who goes ("娃儿办要父母都去不", "老人可以代办不"): people, not items.
PERSONS = ("个人", "男方", "女方", "配偶", "娃儿", "娃娃", "孩子", "小孩", "小孩子", "未成年人", "未成年", "子女", "儿子", "女儿", "老人", "老人家", "老汉儿",
           "老汉", "父母", "爸妈", "爸爸", "妈妈", "老爸", "老妈", "老婆", "老公", "媳妇儿", "媳妇", "家属", "家人", "屋头人",
           "亲戚", "朋友", "同事", "都",
           # at home ("屋头老人", "家里人"): where the person is, not an item
           "屋头", "屋里头", "屋里", "家里", "家头")

ORDINAL_WORDS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# "租房的那个", "丢了补办那种": a reply that points at one of the offered options.
PICK_CUE = re.compile(r"(?:的|是)?(?:那个|那种|那项|那一个|那一项|这个)(?:吧|嘛|哦|噻)?$")
NONE_OF_THEM = ("都不是", "都不对", "都不要", "一个都不是", "没有我要的", "没有我要找的", "都没有", "全都不是", "都不")

CORRECTION_CUES = re.compile(r"^(?:哦|噢|啊|诶|呃)?\s*(?:我?不是问(?:这个|那个)|不是这个|不是那个|不对不对|不对|我说的是|我讲的是|不是的|不是|搞错了|弄错了|说错了|错了|"
                             r"打错了|我说错了|我搞错了|我是说|应该是|我是想问|我是要问|我是问|我问的是|我要问的是|我想问的是|"
                             # agents' notes of what the caller meant ("其实际想问的是社保卡补领，不是挂失"; the frame's 想问 is gone by then)
                             r"(?:实际上?|其实|真正|本来)(?:是)?(?:(?:想问|要问|想办|要办|想咨询|要咨询|想了解)(?:的是|的)?|的是))[，,。\s]*")
# Feedback on the last answer: only these, as the whole message (nothing else asked).
FEEDBACK_USEFUL = ("有用", "有帮助", "很有用", "有点用", "解决了", "清楚了", "明白了", "懂了", "好评", "非常有用", "太有用了",
                   "帮大忙了", "很清楚")
FEEDBACK_USELESS = ("没用", "没有用", "没得用", "不管用", "没帮助", "没有帮助", "没解决", "没有解决", "答非所问",
                    "差评", "不清楚", "看不懂", "没看懂", "不是我要的", "不是我想要的", "牛头不对马嘴", "没卵用")
THANKS = ("谢谢", "谢了", "多谢", "感谢", "谢谢你", "谢谢您", "谢谢啦", "谢谢哈", "谢啦", "好的谢谢", "好的", "好",
          "好嘞", "晓得了", "知道了", "收到", "明白", "要得", "可以", "行", "ok", "okay", "嗯", "嗯嗯", "哦哦", "好滴")
GREETINGS = ("你好", "您好", "在吗", "在不在", "哈喽", "hello", "hi", "喂", "早上好", "上午好", "下午好", "晚上好", "有人吗",
             "在不", "嗨")
GOODBYES = ("再见", "拜拜", "拜", "bye", "下次聊", "先这样", "没事了", "没有了", "没得了", "就这些")
# A closing after an answer, clause by clause ("要得 没得事了 拜拜", "明白了 多谢多谢", "谢谢 没有其他问题了", "你们辛苦了"):
# every clause thanks, says goodbye, says nothing more is asked, or acknowledges. Trailing particles are read apart.
CLOSING = re.compile(r"(?:(?:你们|你|您)?(?:谢谢|多谢|感谢|谢了|谢啦|辛苦|麻烦|打扰)(?:你们|你|您|了|啦)*|3q|thx|thanks|thankyou|"
                     r"(?:没得|没有|没|无)(?:其他|别的|啥子|什么|其它)?(?:事|事情|问题|要问的|疑问)?了?|没事|就这样|先这样|就这些|"
                     r"ok|okay|好的?|好嘞|好滴|好吧|行|要得|嗯|哦|晓得|知道|明白|懂|清楚|收到|了解|拜拜|拜|再见|bye|"
                     r"下次再问|有空再问|有事再问|回头再问)+")
GOODBYE_CUE = re.compile(r"拜|再见|bye|下次再问|有空再问|有事再问|回头再问")
HANDOFF_CUES = ("转人工", "人工客服", "人工服务", "找人工", "真人", "人工", "接线员", "找客服", "转客服")
# A clause that takes back the last request ("算了 先不补了 …", "不问那个了，…", "不问医保了 …"), before a new one.
RETRACTION = re.compile(r"^(?:算了|不用了|取消|先不(?:补|办|弄|查|问|管|换)了?|"
                        r"(?:先)?不(?:问|查|补|办|换)(?:那个|这个|[\u4e00-\u9fff]{1,6}?)?了)[啊哈嘛]?"
                        r"(?:[，,。.!！\s]+|$)")
# A remark on the asker's mood or trouble beside a real question (round 12): exasperation ("烦死了", "气死人了",
# "恼火得很", "头都大了"), a sigh, reluctance set aside ("本来都不想办了但是还是想问下", "不想跑了", "懒得跑"),
# courtesy said after the question ("麻烦了", "辛苦你了"). Told beside a question it is neither a complaint,
# nor a cancel, nor words to search; the interpreter drops such clauses when what is left asks something.
_REMARK_END = r"(?=[，,。.!！？?；;\s]|$)"
SIDE_REMARK = re.compile(
    r"(?:(?:真的?|简直|硬是|搞得我)?(?:烦死(?:个?人|我)?|烦得很|好烦|烦人|烦躁|气死(?:个?人|我)?|急死(?:个?人|我)?|急得很|"
    r"恼火(?:得很)?|好恼火|头大|头都大了|心累|累死(?:个?人|我)?|无语|服了|遭不住)(?:了|哦|啊|哈|嘛|呀)*|"
    r"唉|哎|哎呀|哎哟|哎呦|哦哟|"
    r"(?:麻烦|辛苦|打扰)(?:你|您|你们)?(?:了|啦|一下)(?:哈|哦|啊)?)" + _REMARK_END + r"|"
    r"(?:本来|其实|真的)?(?:都|也)?(?:不想|懒得)(?:再)?(?:办|弄|搞|跑|去|问|折腾)(?:[了啦]|[一几两三]趟了?)?"
    r"(?:[，,\s]*(?:但是|可是|不过|但)(?:还是|也还是)?(?:想)?(?:问(?:一)?下|问问|咨询(?:一)?下)?|" + _REMARK_END + r")")
# Words that many objects' names hold ("社保个人基本信息", "养犬人信息"): sharing them with a message does not
# show the message names that object ("营业执照信息变了" is no 社保个人基本信息变更), round 12.
GENERIC_OBJECT_WORDS = ("信息", "个人", "基本", "人员", "事项", "项目", "资料", "情况")
CANCEL_CUES = ("算了", "不查了", "取消", "不办了", "退出", "不弄了", "先不", "不用了", "停")
COMPLAINT_CUES = ("投诉", "举报", "态度差", "态度不好", "态度恶劣", "太差", "不作为", "没人管", "乱收费", "吃拿卡要", "刁难",
                  "推诿", "扯皮", "气人", "太慢了", "等了半天", "排了", "都没办成", "没办成", "跑了好几趟", "建议你们",
                  "意见", "不满意", "拖着", "骂人", "曝光", "监督", "差劲", "太离谱", "反映了好几次",
                  # asking somebody to act on a problem ("希望管一下", "请有关部门整治")
                  "管一下", "管一管", "管管", "整治一下", "查处一下", "处理一下")
# Nobody acts on a problem, a demand that somebody does, a smell or a noise the writer cannot
# bear: the plain complaint in citizens' words ("垃圾好几天没人收", "交警也不来疏导", "必须要处理",
# "臭得遭不住"). A complaint only when nothing is asked (QUESTION_CUES), like COMPLAINT_CUES.
GRIEVANCE = re.compile(r"[没无]人(?:管|收|修|理|来|处理|清理|打扫|过问|疏导|负责)|(?:也|都|还|从来)(?:不|没)(?:来|管|修|处理|疏导|整改)|"
                       r"(?:必须|赶紧|赶快|马上|立即)(?:要|得)?(?:处理|解决|整改|管|查处|整治)|"
                       r"遭不住|受不了|忍不了|烦死了|吵死了|臭死了|(?:吓|气|急|烦|吵|臭|挤|堵)死(?:人|个人|我)|(?:吵|臭|脏|乱)得(?:很|不行|要命|遭不住)|拒载|绕路|宰客|"
                       # a judgement of a price or a service, told and not asked ("停车场收费太贵了", "号贩子太黑了")
                       r"(?:太|忒|贼|也太)(?:贵|黑|坑人|坑|离谱|过分|差|烂|乱|脏|吵|臭|难办|麻烦|猛|凶|野蛮|嚣张|霸道)了|"
                       r"(?:贵|黑|坑)得(?:很|离谱|要命|吓人|遭不住)|收费(?:太|好|忒)(?:贵|高|黑|离谱)")
# The words that make a message a complaint whatever else it says (unless a question stands beside them).
STRONG_COMPLAINT = re.compile(r"投诉|举报")
# A complaint set aside for a question ("投诉的事先放一边 问下…", "投诉窗口在哪我不管 我要问的是…"):
# what follows an explicit asking phrase is the request, when it asks an aspect of a service.
ASKING_INSTEAD = re.compile(r"(?:我)?(?:要问的是|想问的是|想问一下|想问下|想问|请问一下|请问|问一下|问下|咨询一下|就想问问|想咨询)"
                            r"[，,:：\s]*")
# 投诉/举报 told as something already done ("上次投诉过窗口，这回想问…"): context, not the request;
# such a message is a complaint only when it asks nothing about a service.
NARRATED_COMPLAINT = re.compile(r"(?:投诉|举报)(?:过|以后|之后|后)|(?:上次|上回|之前|以前|已经|曾经|去年|前几天|前段时间)"
                                r"[^，,。；;]{0,6}(?:投诉|举报)")
# Petitions: complaints and suggestions written as a letter to the government ("市长您好 …
# 希望尽快整治", "建议将…"). They carry rhetorical questions (为什么, 何时), so a question
# particle does not make them a service question; they are read by families, and a message
# is a petition when it hits two families (a suggestion counts twice) and asks no how-to.
PETITION_FAMILIES: tuple[tuple[str, re.Pattern], ...] = (
    ("addressee", re.compile(r"市长|区长|县长|镇长|乡长|书记|厅长|局长|处长|主任您?好|领导|尊敬的|市政府|区政府|县政府|"
                             r"有关部门|相关部门|政府部门|各位网友|网友们")),
    ("request", re.compile(r"整治|查处|治理|监管|监督|督促|严管|严查|彻查|调查|取缔|处罚|惩处|做主|重视|关注一下|"
                           r"早日解决|尽快解决|帮忙解决|给予解决|解决一下|加强|改善|恳请|请求|呼吁|何时休|给个说法|"
                           r"管一管|管一下|管管|责令|追究")),
    ("grievance", re.compile(r"扰民|噪音|噪声|污染|违法|违反|非法|违规|乱象|黑车|隐患|拖欠|欠薪|坑洼|臭气|堵了|堵塞|没人管|"
                             r"无人管|不作为|刁难|乱收费|偷排|直排|违停|乱停|不方便|安全问题|危险|不合理|太少了|"
                             r"严重影响|影响.{0,6}生活|忍无可忍|破坏|没有任何通知|未见处理|不给解决|没有解决|未解决|得不到解决|"
                             r"侵害|侵占|霸占|克扣|压榨|欺诈|骗|失传|浪费|缺乏|缺少|未.{0,10}(?:处理|解决|答复|回复)|[不没]人?(?:处理|管|修)|"
                             r"推诿|扯皮|效率太低")),
    ("rhetoric", re.compile(r"为什么|为何|何时|究竟|难道|凭什么|就这么|到底有没有|有没有人管")),
)
SUGGESTION_CUES = re.compile(r"^(?:我)?建议|[，,。！!]\s*(?:我)?建议|建议(?:政府|相关部门|有关部门|将|把|在|对|增设|增加|设置)|"
                             r"人民建议|可否考虑|能否考虑|是否可以考虑|希望(?:政府|相关部门|有关部门|领导)")
# How-to questions about a service: these keep a letter-like message a question
# ("…公司没给我们买社保，请问补缴社保需要什么材料").
SERVICE_ASKS = re.compile(r"(?:怎么|如何|怎样|咋个?|啷个)(?:办理|办|申请|申领|领取|提取|补办|补领|补缴|换领|换|开具|开|查询|"
                          r"缴纳|转移|迁|注销|登记|备案|认定|报销|领)|(?:需要|要|带|准备)(?:哪些|什么|啥子?|些啥)"
                          r"(?:材料|资料|证件|手续|东西)|在哪(?:里|儿)?(?:办|申请|领|交|补)|办理(?:流程|时限|地点|条件)|"
                          r"(?:需要|要)(?:多久|多长时间|几天)|手续|材料")
WANTS_A_SERVICE = re.compile(r"我想|我要|想办|要办|想问|想咨询|想了解|想申请|打算|准备办")
PETITION_MIN_LENGTH = 20  # shorter complaints are read on COMPLAINT_CUES alone
REPORT_MIN_LENGTH = 40  # a statement this long that asks nothing and hits one family reports a problem

# A question about complaining itself ("怎么投诉", "投诉举报怎么处理 要多久答复"): the service, not a complaint.
# 咋个/啷个 ask how in 重庆话, but also why ("投诉了咋个没人管"): after the cue only with a verb of doing.
ASKS_ABOUT_COMPLAINING = re.compile(r"(?:怎么|怎样|如何|在哪|哪里|去哪|找哪个|咋个?|啷个)(?:去)?(?:投诉|举报)|"
                                    r"(?:投诉|举报)(?:举报)?(?:处理)?(?:的)?(?:要)?(?:怎么|如何|怎样|多久|流程|程序|在哪|哪里|电话|渠道"
                                    r"|(?:咋个?|啷个)(?:弄|办|搞|走|提交|投诉|举报))")
# Where a complaint about something is filed ("举报工资被拖欠是在哪里", "投诉假冒商品该找哪个部门"): the place
# or the body asked within one clause (read on the text with its spaces), whatever is complained of.
ASKS_WHERE_TO_COMPLAIN = re.compile(r"(?:投诉|举报)[^，,。；;！!？?\s]{0,12}?(?:是|应该|该|要|得)?(?:在哪|去哪|到哪|找哪|哪个部门|"
                                    r"哪个单位|哪里|找谁|打什么电话|打哪个电话)")
# What complaining itself takes, asked in the clause that names 投诉/举报 (conv11): the evidence to bring
# ("举报的话得准备啥子证据"), how long a reply takes ("投诉以后几天给答复"), where its progress or result is seen,
# whether it can be filed online or kept confidential. Read clause by clause ("我要投诉 办个证跑了三趟 到底要带啥"
# asks about the 证); the first family asks by itself, the second needs a question in its clause ("我在网上投诉了"
# tells). A clause telling that nobody acted ("投诉了好久都没人回") is a grievance, not a question.
COMPLAINT_PROCESS_ASKED = re.compile(
    MATERIALS_RE.pattern + r"|(?:提交|准备)(?:哪样|些)|(?:哪些|啥子?|什么)(?:材料|证据|资料|凭证)|"
    r"(?:材料|证据|资料)(?:有哪些|是啥|是什么|要哪些)|"
    r"(?:多久|多长时间|几天|好多天|好久|多少天)[^，,。\s]{0,3}?(?:回复|答复|处理|结果|回音|受理|反馈|办结|联系|有人)|"
    r"(?:以后|之后|后|了)(?:一般)?(?:要)?(?:多久|多长时间|几天|好多天|多少天)")
COMPLAINT_PROCESS_IF_ASKED = re.compile(
    r"网上|线上|手机上|app|小程序|公众号|保密|匿名|不留名|实名|流程|程序|步骤|进度|处理到|到哪一步|"
    r"处理(?:得)?(?:咋样|怎么样|如何)|" + r"(?:在哪|哪里|哪儿|去哪|怎么|咋个?)(?:里|儿)?(?:看|查)")
WHERE_SEEN = re.compile(r"(?:在哪|哪里|哪儿|去哪|怎么|咋个?)(?:里|儿)?(?:看|查)")  # "去哪看", "咋个查": asked
# A wish to look something up beside a wrong told ("被多收了钱 想看下账户的扣费记录", "工资被扣了 想打一份缴费
#清单"): the record asked for is the question (conv11); "想找人管一下" wishes no record and is not one.
INFORMATION_WISH = re.compile(r"(?:想|打算|准备|我要)(?:自己)?(?:(?:查|查询|查看|打印|打|调|调取|开)(?:一?下|一哈|哈|个|一份|一张)?|"
                              r"看(?:一?下|一哈|哈))(?:我的?|我们的?|自己的?)?(?![一下哈个份张]{0,2}(?:这|那|他|她|你|哪|谁)|[^，,。；;！!？?\s]*[管不])"
                              r"[^，,。；;！!？?\s]{2,}")
EVIDENCE = re.compile(r"证据|凭证|截图|录音|照片")  # what a complaint is backed by
COMPLAINT_FILED = re.compile(r"(?:投诉|举报)了")  # a complaint already made ("举报了一家店")
COMPLAINT_PROGRESS_ASKED = re.compile(r"进度|处理到|到哪一步|处理结果|处理(?:得)?(?:咋样|怎么样|如何)")
ASKED_EITHER_WAY = re.compile(r"(\S)[不没]\1")  # 会不会, 能不能, 有没有: a question whatever else the clause holds
COMPLAINT_NOT_ACTED = re.compile(r"没人|没得人|没有人|都没|还没|没有?(?:回复|答复|回音|结果|下文|处理|动静)|不处理|不管")
# Requests no government service answers: where to eat or play, the weather, a joke.
OFF_TOPIC = re.compile(r"(?:推荐|介绍|有没有|有啥|有什么|哪家|哪里有|哪儿有|哪点有)(?:一下|一哈|个|几个|一家|家)?.{0,8}"
                       r"(?:好吃|好喝|好玩|好耍|美食|餐厅|馆子|火锅|串串|小面|奶茶|景点|酒店|宾馆|民宿|电影|ktv)|"
                       r"天气|气温|好热|好冷|热不热|冷不冷|下不下雨|讲个笑话|唱首歌|你几岁|你是男是女")
# Which shop or school does it best ("哪家驾校教得好", "证件照在哪拍得好看"): a recommendation, not a
# service, even when a document is named; off topic unless it also asks how to apply (SERVICE_ASKS).
RECOMMENDATION = re.compile(r"(?:哪里|哪儿|哪点|哪家|哪个地方|哪)[^，,。？?\s]{0,6}(?:好看|好些|划算|便宜|实惠|靠谱|教得好|做得好|拍得好|"
                            r"照得好|服务好)")
SERVICE_WORDS = re.compile(r"办|证|许可|执照|登记|申请|备案|手续")
# Words that mark a service question even inside a complaint-looking message.
QUESTION_CUES = re.compile(r"怎么|怎样|咋|啷个|如何|哪些|哪个|什么|啥|吗|么$|多久|多少|(?<!好)几[个份次天年]|在哪|能不能|能否|可不可以|"
                           r"是否|请问|咨询|要不要|"
                           r"[不没]\s*$|不嘛|没得\s*$|[?？]")
PROGRESS_CUES = ("进度", "到哪一步", "到哪步", "办到哪", "哪一步了", "办结了没", "受理了没", "审批到", "办好了没",
                 "办好没", "批下来没", "办件", "查件")
# Progress set aside by the asker ("先不管进度", "不是问办件进度"): not a progress request.
PROGRESS_SET_ASIDE = re.compile(r"(?:先|暂时)?(?:不管|不是问|不是查|不查|不问|不说|不关心|不看)(?:那个|这个|它的|办件的?|申请的?)?(?:进度|办件)")
APPLICATION_NUMBER = re.compile(r"cq\s*\d[\d\s]{10,}", re.IGNORECASE)
# A number pasted into a question (an ID, a phone, a landline, an account or application number, whole
# or masked by core.personal_data) with the words that label it ("我身份证号是", "电话", "受理号"): it
# names no service, so the guide reads the question without it ("身份证号500… 想问下居住证咋个续").
PASTED_NUMBER = re.compile(
    r"(?:(?:我的?|本人的?|联系人?的?|申请人?的?|办件|受理|预留的?)?"
    r"(?:身份证号码|身份证号|身份证|证件号码|证件号|社保卡号|医保卡号|卡号|账号|手机号码|手机号|电话号码|电话|手机|"
    r"号码|受理号|办件号|申请号|编号|单号)\s*(?:是|为|[:：])?\s*)?"
    r"(?:\[(?:身份证号|手机号|办件编号)\]|(?:cq|CQ|Cq)?[\s\-]*\d(?:[\s\-－]?\d){6,}[xX]?)"
    r"|(?:我叫|我的名字叫|姓名|名字|我是|本人|申请人|联系人|办理人|户主)?\s*(?:是|为|叫)?\s*[:：]?\s*\[姓名\]")
# Asking after an application's state ("办好了没", "批下来没得", "有结果没", "我的件呢"): without one of
# these, a how-to question the classifier filed as progress is answered by the guide.
PROGRESS_STATUS = re.compile(r"(?:了|好|完|过|批|审|出来|下来|到|做好|寄出)(?:没|吗|么)|有(?:结果|回音|消息|进展)|"
                             r"(?:什么|啥)(?:情况|状态)|(?:咋样|怎么样|如何)了|到哪|哪个环节|手上|退回|驳回|"
                             r"我(?:的|那个|交的|提交的|申请的)(?:件|申请|材料|业务|事项|办件)")
# A clause that says where the asker is ("我在外地上班", "户口在外省"): their situation, whatever aspect words it holds.
ASKER_SITUATION = re.compile(r"^(?:我|我们|我家|其|他|她|本人|户口|户籍|人)(?:的)?(?:户口|户籍|人)?(?:现在|目前|一直|长期)?在")
# A clause telling where the asker lives or stays ("其在沙坪坝区租房居住", "我住在南岸"), beside a clause that asks.
PLACE_TOLD = re.compile(r"^(?:我|我们|我家|其|他|她|本人|来电人)?(?:现|现在|目前|一直|长期)?(?:住在|居住在|在|于)")
# What is left of a clause telling where the asker, their firm or their home is once its district is read
# apart ("公司在璧山" → 公司在, "公司是注册在渝中的", "我户口其实是在江北的", "房子在南岸那边"): a district, no item.
WHERE_TOLD = re.compile(r"(?:我|我们|我家|屋头|其|他|她)?的?(?:公司|单位|店|店子|厂|厂子|门面|户口|户籍|房子|房屋|家|人|娃儿|学校)?的?"
                        r"(?:是|就是|其实是|实际是|应该是)?(?:现在|目前|一直|都)?(?:注册|登记|住|租|开|落户|办|买|上班|工作|读书|上学)?(?:在|于)"
                        r"(?:的|那边|那儿|那里|这边)?(?:上班|工作|读书|上学|住|租房|开店|打工)?[了的啊哈嘛]*")
# A change told ("…了"), then whether the item on the table still applies, with 还 ("我现在又找到工作了 还能领不",
# "终止营业了还需要补吗", "变了 房子卖了 还要交不"): the asker's situation and a condition of the current item,
# not a search for the words of the change (round 12).
STILL_ASKED = re.compile(r"了[，,。\s]*(?P<asked>(?:那|那我|我|那还)?(?:还|也还|都还)(?:能不能|可不可以|需不需要|要不要|能|可以|需要|要|用|得)"
                         r"[^，,。？?\s]{0,6})[？?]?$")
# A clause telling that the asker (or their firm) moved, once the district named in it is read apart ("公司搬到两江新区了",
# "其已搬至南岸区居住", "我们搬到大足了"): a change of district, not a change registered (变更), beside a clause that asks.
MOVED_TOLD = re.compile(r"^(?:我|我们|我家|屋头|公司|单位|店|店子|厂|厂子|其|他|她|户口|家|人)?(?:已经|已|刚刚|刚|才|现在|准备|要|打算|马上)?"
                        r"(?:搬|迁|调|转)(?:家)?(?:到|去|来|至|过去|过来)?(?:了)?(?:居住|住|上班|工作|生活|去了|来了|去|来)?(?:了)?$")
# A clause telling who the asker is ("我是个体户", agents' "其为退役军人"), beside a clause that asks.
SITUATION_CLAUSE = re.compile(r"^(?:我|我们|我家|其|他|她|本人|来电人|该市民)?(?:是|为|系|属于|算)(?!不是|问|说|想|要问|否)")
# Where a thing is done, named in a follow-up about the current item ("可否在外地车管所办理", "户口所在地以外的
# 地方能登记不"): offices and places, not items; what is left beside them decides whether an item is named.
PLACES = re.compile(r"车管所|派出所|(?:政务|便民|社区)?服务中心|政务中心|办事大厅|大厅|营业厅|社区|街道|户口所在地|户籍所在地|"
                    r"户籍地|所在地|当地|本地|外地|外省|外头|外面|异地|省外|市外|以外的?|别的地方|其他地方|地方|附近|就近|这边|那边|这里|这儿")

# A clause telling where the asker lives or works, near an office or a landmark ("我在渝北区公积金中心旁边住",
# "住在车管所附近", "在人社局旁边开了个面馆"): the office named there is a place, not the item asked about.
LIVES_NEAR = re.compile(r"^(?:我屋头|我屋|屋头|我们屋头|我们家|我|我们|我家|家|其|本人)?(?:就|现在|目前|一直)?(?:住在|住|在)[^，,。；;\s]{1,16}?"
                        r"(?:(?:旁边|附近|对面|斜对面|对门|隔壁|楼上|楼下|边上|边边上|跟前|后面|背后|门口|周边|一带)[^，,。；;\s]{0,8}?|"
                        r"(?:上班|工作|打工|开店|做生意|租房|读书|上学))"
                        r"(?:[，,。；;\s]+|(?=想问|请问|问下|问一下|问问|咨询))")
# How far the asker is from an office ("离派出所远得很", "离社保局有点远"): a situation told beside a place
# clause, not the office's items asked; what follows ("附近能办不") asks of the current item.
DISTANCE_TOLD = re.compile(r"^(?:但是?|可是|就是|又|而且)?离[^，,。；;\s]{1,12}?(?:有点|有些|太|很|好|比较|蛮|特别|还)?(?:远|近)"
                           r"(?:得很|了|哦|噻|嘛|啊)?(?:[，,。；;\s]+|(?=想问|请问|问下|能|可以|附近|就近))")
# A bare aspect named in a correction ("我问的是钱 不是时间", "我问的是地方"): what the words alone ask.
ASPECT_NOUNS = {"钱": "fee", "价钱": "fee", "价格": "fee", "期限": "time_limit", "地方": "department", "位置": "department",
                "东西": "materials"}

# Numbers pasted inside a question. A person's own identifier (ID card, phone) with its label says
# who asks, not what: label and value go ("我的身份证号是5002…，社保交满十五年能退休不" asks about
# retirement, not the ID card). Another document's number ("执照号9150…", "社保卡卡号BA12…")
# loses its value and the number word; the document stays, it is what is asked about.
ID_VALUE = r"(?:\d{15,17}[\dXx]|1[3-9]\d{9}|\d{7,}|(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{6,}|渝[A-Za-z][A-Za-z0-9]{5,6})"
PERSON_IDENTIFIER = re.compile(r"(?:我的|我|本人的?|其)?(?:居民)?(?:身份证号码?|身份证|证件号码?|电话号码?|联系电话|电话|手机号码?|手机|"
                               r"联系方式)(?:是|为|[:：])?\s*" + ID_VALUE)
DOCUMENT_NUMBER = re.compile(r"(?:卡号|账号|帐号|号码|代码|车牌号?|牌照|号)?(?:是|为|[:：])?\s*" + ID_VALUE + r"(?:这个|的)?")

# Agents' summaries: the framing says who calls, not what is asked.
_CALLER = (r"(?:"
           # a caller named by surname, then what they do ("王女士追问…", "市民张先生来电，诉求：…", "该女士称…")
           r"(?:市民|来电人)?(?:[\u4e00-\u9fff]|该|此|这位)(?:女士|先生|阿姨|师傅|大爷|大姐|老师)(?:来电)?"
           r"(?=来电|咨询|询问|追问|反映|表示|补充|称|想|问|又|还|另|再|继续|诉求|要求|[:：，,])|"
           r"(?:该|此|这位|本)?(?:来电人员|来电人|来电市民|市民来电|市民|群众|来电群众|来电者|来电|诉求人|求助人|致电人|用户|客户|当事人))")
_CALLER_SAYS = (r"(?:来电)?[，,]?\s*(?:诉求[:：]?)?(?:另外|另|还|又|再次|再|继续)?(?:想咨询|想询问|咨询|询问|追问|反映|表示|补充|称|说|想问|问|想了解|想知道|需要|要求)?"
                r"(?:一下)?[:：，,]?\s*")
# A note the agent adds to the summary ("补充：来电人询问…", "追问：…") frames the message like the caller's name.
AGENT_FRAME = re.compile(r"^(?:(?:补充说明|补充|追问|另询|又问|再问)[:：，,]\s*(?:" + _CALLER + r")?|" + _CALLER + r")" + _CALLER_SAYS)
AGENT_INNER = re.compile(r"^(?:其|他|她)?")
# An agent's note closing the call ("来电人表示已清楚，无其他诉求", "来电人表示明白了，感谢"): every clause says so.
AGENT_CLOSING = re.compile(r"(?:表示)?(?:已经?|都)?(?:清楚|明白|知晓|了解|知道|满意)了?|(?:表示)?(?:感谢|谢谢|致谢)|"
                           r"(?:无|没有|没得)(?:其他|别的|其它)?(?:问题|诉求|疑问|需求|事项)了?|问题已解决|已解答|挂机|结束通话")
AGENT_DISTRICT = re.compile(r"[，,。;；\s]*(?:所在区县为|所在区县是|所在区县：|所在区县:|所在地为|所在地是|所在区为|人在|现居|居住在|"
                            r"户籍地为|户籍在|地址为|位于)\s*([^\s，,。;；]{2,6})")
AGENT_ASKS = re.compile(r"(?:另外|另|再次|又|还|继续)?(?:咨询|询问|追问|想了解|想知道|想问|问)(?!题)[:：，,]?\s*")  # not 问题
# A clause of a summary about the caller's history with the hotline ("来电人不满意上次窗口的答复，
# 再次咨询…"): it says why they call again, not what they ask.
AGENT_HISTORY = re.compile(r"不满意|答复|回复|(?:上次|之前|此前|曾|多次|已)(?:来电|致电|咨询|反映)")

# A message that names only a topic ("居住证的事情 想问一下", "关于社保卡的问题", "公积金的事"): it asks
# nothing and names no action, so the items of that object are offered.
TOPIC_ONLY = re.compile(r"(?:(?:的)?(?:事情|事儿|那些事|问题|相关的?|方面的?)|的事)(?:想)?(?:咨询|问|了解)?(?:一哈|一下|下)?"
                        r"[啊呀哈哦啦嘛噻呢]*$|^关于")

# Life events the catalog does not describe as facts: amounts of benefits, leave days.
UNHELD_FACTS = re.compile(r"(?:产假|婚假|年假|陪产假|育儿假|丧假|病假|探亲假)|"
                          # penalties: the catalog holds services, not fines or points
                          r"罚款|罚钱|罚多少|罚好多|罚几多|扣几分|扣多少分|扣好多分|能(?:领|拿|报|补)(?:多少|好多)|"
                          r"(?:发|补贴|补助|报销|赔)(?:多少|好多)|报销比例|每个月(?:领|拿|发)|标准是多少|利率|贷款额度")

# The words of an item name for a document issued the first time: the variant meant when
# nothing is said of what happened ("娃儿生了 出生证明在哪开" → 首次签发, not 补发、换发); a birth told beside a
# question about the child's insurance is its first enrolment too ("其小孩刚出生，询问怎么办理医保" → 新生儿参保登记).
FIRST_TIME_MARKERS = ("首次", "初次", "新办", "新生儿")  # 新生儿参保登记: the first enrolment, of one just born
# What happened to a document, and the words item names use for the matching service:
# "驾照搞掉了" wants a 补领/补证 item, "第一次办" a 首次 one, "到期了" a 期满换证 one.
QUALIFIERS: tuple[tuple[re.Pattern, tuple[str, ...]], ...] = (
    (re.compile(r"掉了|搞掉|弄掉|丢了|弄丢|搞丢|遗失|不见了|找不到了?|被偷|遭偷|补办|补一个|补个|补一张|补张|补卡|补证|补本|(?:能|去|再|要|来)补(?!充|缴|贴|助|交)|"
                r"咋个补|怎么补|咋补|啷个补"),
     ("补", "遗失", "挂失")),
    # ... or the event that brings the document into being: a birth, a purchase, a wedding
    (re.compile(r"第一次|头一回|首次|初次|从来没办过|新办|刚生|(?<!发)生了|刚出生|出生了|新生儿|刚买|新买|刚结婚"), FIRST_TIME_MARKERS),
    (re.compile(r"过期|到期|期满|快到期"), ("期满", "到期", "延续", "换证")),
    (re.compile(r"烂了|坏了|损坏|破了|损毁|看不清"), ("损毁", "换领", "换发", "换证")),
    (re.compile(r"搬家|搬了家|搬到|搬去|地址变了|住址变了|地址改了|改地址|改住址|地址要改|住址要改|改名|名字改了|信息变了|"
                r"信息改了|电话变了|换了电话|换了手机号|要改|想改|改一下|更改|修改|变更|有变|变动|内容变了|信息有误|"
                # an entry written wrong is corrected: 更正 ("户口本上名字写错了")
                r"写错|填错|登记错|打错了?字|录错|有误"),
     ("变更", "更正", "变化")),
    # a debt paid off, a registration no longer wanted: the release of it
    (re.compile(r"还完了?|还清了?|结清了?|解押|解除|取消掉|撤销"), ("解除", "注销")),
)
# What is changed is not what is asked: "执照地址要改" asks no address, "换了电话" no phone.
CHANGED_THING = re.compile(r"(?:改|换|变更|更改|修改)(?:了|个|一下)?(?:地址|住址|电话|号码)|(?:地址|住址|电话|号码)(?:要|想)?(?:改|换|变)")

# "其本人驾驶证…", "我本人的社保卡…": 本人 before a document says whose it is, not who must go.
OWNER_OF_DOCUMENT = re.compile(r"(?:其|我|他|她)?本人(?:的|名下的?)?(?=[\u4e00-\u9fff]{0,5}(?:证|卡|照|本|户口|账户|信息))")

# "手机上弄不来": what the asker cannot manage online is not a question about online handling.
CANNOT_MANAGE = re.compile(r"(?:在)?(?:手机上|网上|线上|app上|小程序上|电脑上)?[\u4e00-\u9fff]{0,2}?"
                           r"(?:弄不来|搞不来|整不来|用不来|不会弄|不会用|不会操作|操作不来)")

# "我是租房子的", "我们是退休了的": the asker's situation, said right after an answer, refines the item
# within the object being discussed (住房公积金 → 租赁住房提取住房公积金).
SITUATION = re.compile(r"^(?:我|我们|我家|我们家|屋头)?(?:是|属于|算)(?!不是|问|说|想|要问)")

# The asker telling their own state ("我是租房子的", "我已经退休了", "我辞职了 想取"): under a topic, the
# situation that picks one of its items.
TOLD_SITUATION = re.compile(r"^(?:我|我们|我家|我们家|本人|屋头|其)(?:是|已经|刚刚?|才|都|现在|在|也)")

# "那办居住证呢": a question ending in this particle asks the same about another item.
ABOUT_ANOTHER = re.compile(r"呢[?？ ]*\Z")

# The family of "where is the window": a place word or a nearness word with a where word,
# or "去/到/在哪(里)办".
_PLACE = r"窗口|大厅|政务服务中心|政务中心|服务中心|办事处|办理点|办事点|网点|营业厅"
_NEAR = r"最近|附近|就近|离我近|近点|近一点"
_WHERE = r"在哪|哪里|哪儿|哪点|哪个地方|怎么走|咋个走|咋走|怎么去|咋个去|啷个走|地址|位置|导航|路线"
WINDOW_QUESTION = re.compile(rf"(?:{_PLACE}|{_NEAR}).*?(?:{_WHERE})|(?:{_WHERE}).*?(?:{_PLACE}|{_NEAR})|"
                             rf"(?:{_NEAR}).*?(?:{_PLACE})|[去到在]哪(?:里|儿|点|个地方)?(?:可以|能)?(?:办|交|弄|搞)")

# Characters of an item name that tell two names apart by nothing: brackets, separators, 的.
NAME_FILLER = frozenset("（）()、，的")

# What a message says it does not want ("…不是补证"): removed before its action words are read.
NEGATED = re.compile(r"不是[\u4e00-\u9fff]{1,4}?(?=[，,。\s]|$|是|而是)")

# --- conversation round 10 (conv8): the boundary between a question and a complaint ---
# A complaint is about something that went wrong with a person, a business or a public thing; a
# question is about how to do a service. These families read the first kind told as a statement,
# with no complaint word (投诉/不满意) in it (actions.complaints.told_wrong).
# Somebody did wrong: an official, a driver, a shop, an employer, a landlord, a neighbour.
WRONG_DONE = re.compile(
    r"骂|打人|动手打|态度(?:极|很|太|特别|非常|十分)?(?:差|恶劣|不好|冷漠|蛮横|粗暴|傲慢)|敷衍|推来推去|踢皮球|互相推|"
    r"玩手机|红包|回扣|索要|索贿|插队|不理人|爱理不理|说话难听|一问三不知|故意|恶意|"
    # money kept or not paid: a refund, wages, a deposit
    r"不退(?:钱|款|押金|定金|费|货)|(?:费|钱|款|押金|定金)(?:也|都|就|还)?不(?:退|给退)|收了钱还|不给退|不赔|不认账|不给(?:个)?说法|"
    r"不发工资|拖欠|欠薪|欠了?[^，,。]{0,12}工资|克扣|扣(?:我|了我)的?(?:钱|工资|定金|押金)|卷(?:款|钱)|跑路|"
    r"收了钱[^，,。]{0,4}(?:跑|不)|骗(?:了|子|钱|人)|诈骗|假药|假货|冒牌|地沟油|缺斤少两|秤不准|"
    r"卖过期|过期(?:食品|的?药品?|牛奶|的?食品)|多收(?:了|钱)|乱(?:收|涨|扣|停|摆|扔|倒|搭|建|拍|罚|排|丢|放|贴|挖|占|开药)|"
    r"私自|强制(?:要求|收|买)|强行|霸占|占道|占用(?:楼道|消防|公共|绿地|人行道|盲道)|被占|偷排|扰民|不按站|闯红灯|逃逸|"
    r"撞了[^，,。]{0,8}跑|不打表|一口价|宰客|不作为|没人(?:接|回|理)|不(?:处理|解决|回复)|没有?(?:解决|处理|回复|答复)|"
    # a public work left undone, a rule broken in plain sight
    r"修了一半|烂尾|撒了一路|抛洒|遗撒|不牵绳|(?:让|向|卖给)未成年|倒进|排进|倒到|排到河|直排|"
    # refusals, favours and frauds at work ("不给加班费", "上班时间打牌", "冒用我的身份证", "收好处")
    r"不给(?:加班费|工资|钱|补偿|赔偿|报销|处理|解决|修|答复|回复|开发票|发票)|不开发票|"
    r"(?:上班|工作)时间[^，,。]{0,3}(?:打牌|玩|睡|聊天|喝酒|炒股|看视频)|冒用|盗用|收好处|好处费|"
    r"高空抛物|往(?:楼)?下(?:扔|丢|倒|泼)|违建|违章(?:搭建|建筑)|私搭|乱搭乱建|砸了承重|拆了承重|"
    r"(?:打|体罚)(?:小孩|孩子|娃儿|学生)|(?:开车|边开车)?(?:一直|边)打电话|放鞭炮|黄牛|号贩子|票贩子|拉客|"
    # a shop that sells what it must not, or takes prepaid money and closes
    r"三无|注水|回收再卖|重复使用|变质|发霉|馊了|吃出(?:虫|头发|异物)|办(?:了)?卡(?:后|以后|之后)?[^，,。]{0,3}(?:关门|跑|倒闭)|"
    # officials who pass the matter on, favour their own, or never answer
    r"不归(?:他们|我们|我们这里|这里)?管|又让我找|推给|踢来踢去|分给(?:亲戚|自家|熟人)|优亲厚友|走后门|关系户|"
    r"没(?:有)?下文|没(?:有)?消息|没(?:有)?回音|杳无音信|石沉大海|不了了之|(?:一直|迟迟|始终)(?:不|没有?)(?:给|处理|解决|回复|答复|修|退|来|发|约|到账|下来|批)|不及时|"
    r"(?:未|没有?|不)(?:为其|给(?:我|我们|员工|工人)?)(?:买|交|缴|缴纳|办)(?:社保|保险|医保)|"
    # the writer asks somebody to act on it ("要求相关部门处理", "希望尽快维修")
    r"(?:要求|请求|希望|恳请|请)(?:相关|有关)?(?:部门)?(?:尽快|马上|立即|及时)?(?:处理|查处|整改|维修|修复|解决|清理|清运|取缔|制止)")
# A public thing broken, falling or cut off ("路灯坏了", "停水两天了", "电话打不通"); a document that is
# broken or lost is a service (损毁换证, 补领), so these count only when the message names no document.
THING_WENT_WRONG = re.compile(r"坏了|坏掉|爆了|爆管|漏水|渗水|漏电|漏气|滴水|停水|停电|断电|断水|断网|不亮|塌了|塌陷|"
                              r"脱落|掉下来|快掉|快倒|倒了|松动|开裂|裂缝|破损|冒烟|起火|着火|"
                              r"堵了|堵死|堵得|打不通|约不到|挂不上号|冒水|积水|臭水|井盖|鼓包|坑洼|大坑|坑好大|往外冒|外溢|"
                              r"发黄|发黑|发臭|浑浊|水质|撞烂|损坏|往下掉|走不通|缺货")
# Another object with the action just discussed ("医保的也能转不", "驾照的也能一起换吗"; conv11): 也 after a
# short object, then a modal, a verb and a question particle.
ALSO_THE_SAME = re.compile(r"^[\u4e00-\u9fff]{2,6}?的?也(?:要|得|需要|能|可以|一起|顺便|跟到)?[\u4e00-\u9fff]{0,3}?(?:不|吗|么|嘛|没|不嘛)?$")
# Nobody acting on a thing gone wrong ("没得人管", "一直没人来弄", "物业也不管"): told of a public thing, a
# complaint, even when what happened is a loss ("盖板不见了 没人管" is no lost document; conv11).
NOBODY_ACTS = re.compile(r"(?:没|没得|没有|无)人(?:来)?(?:管|修|弄|处理|理|清|收|拖|填|换)|(?:也|都|一直|根本)(?:不|没)(?:管|修|处理)|"
                         r"不来(?:修|弄|处理)")
# What the writer has to bear: noise late at night, smoke, smell, dust, mess, danger.
NUISANCE = re.compile(r"噪音|噪声|太吵|吵得|吵到|吵了|震天响|油烟|异味|臭味|臭气|灰尘|粉尘|鸽子屎|狗屎|狗叫|"
                      r"到(?:凌晨|半夜|深夜)|(?:凌晨|半夜|深夜)(?:还在|都在|还|都)|(?:满街|满地|到处)都是|摆到(?:马路|路|街)|占(?:了|满|着)(?:马路|人行道|街道|车位|楼道)?|臭了|"
                      r"(?:好|很|太|多)危险|危险得很|安全隐患|差点(?:伤|撞|摔|出事)|伤到")
# A document named: its being broken or lost is a service, not a public thing gone wrong.
DOCUMENT_THING = re.compile(r"证|卡|照|簿|户口|本本|号牌|车牌|牌照")
# Questions that are not asked: rhetoric inside a complaint ("这是什么服务", "万一有人掉下去咋整").
RHETORIC = re.compile(r"这是什么[\u4e00-\u9fff]{0,4}|这叫什么[\u4e00-\u9fff]{0,4}|什么(?:服务|态度|素质|玩意)|凭什么|为什么|为啥|"
                      r"怎么回事|咋个回事|有没有人管|还有没有王法|万一[^，,。]{0,12}(?:咋|怎么)(?:整|办)|"
                      # a quantity told, not asked ("年卡还没用几次", "才去了几天")
                      r"(?:没|才|只|就)[\u4e00-\u9fff]{0,2}几(?:次|天|回|个月|年)|几(?:天|个月|年|次|回)(?:了|都|也|还)?(?:没|不)")
# Asking words QUESTION_CUES does not hold, and wishes to use a service ("想动用维修基金", "想去仲裁"):
# with them a message asks something ("去哪里办", "要得不").
# Wishes to use a service, legal remedies included ("想动用维修基金", "想去仲裁", "要备案", "去哪里告").
WISHES = re.compile(r"想(?:用|动用|去|找|要|申请|调解|仲裁|办|把|让|换|补|取|提|转|迁|开|考|交|缴|查|改|变更|注销|登记|备案|领|报)|"
                    r"要(?:去)?(?:动用|申请|调解|仲裁|变更|注销|登记|备案|办|补|换|迁|转|改|年审|年报|延续|续)|"
                    r"告(?:他|她|他们|公司|单位|老板)?$|去哪里?告|起诉|打官司|仲裁|调解|报警|保护令")
ASKS_TOO = re.compile(r"哪里|哪儿|哪点|哪家|哪位|谁能|要得不|行不行|行不$|可以不|能不能|好多|几多|询问|了解|麻烦问|有没有|是不是|"
                      + WISHES.pattern + r"|"
                      r"(?:要|得|需要)好久|好久(?:之内|以内|内|能|可以|才|办|拿|出|到)|好久$|([\u4e00-\u9fff])不\1")
# Verbs of doing a service ("罚款在哪里交", "在哪申请"): a question with one asks how to do it, not what to do
# about a wrong ("我们该怎么办", "应该找哪个部门", "政府管不管").
# Enrolling and carrying insurance on are services too ("单位没给我交医保 我自己可以参保不", "断了能续上不"), round 12.
SERVICE_VERB = re.compile(r"交|缴|申请|补办|补领|领取|办理|开具|查询|登记|备案|预约|注销|变更|换证|报销|提取|"
                          r"参保|投保|续保|接续|续上|补上|补齐|交上|转移|转过来|转过去|转出|转入|认证|申报|申领")
# Who or where a told wrong is about: somebody else (a landlord, a driver, an official, a neighbour) or a
# public place. A statement about them that asks nothing and tells what happened (STATEMENT_MARK) is a
# complaint; the asker's own documents and life events ("身份证坏了", "我失业了") name none of them.
THIRD_PARTY = re.compile(r"房东|物业|商家|店家|老板|包工头|开发商|中介|司机|师傅|教练|考官|老师|校长|医生|护士|医院|"
                         r"邻居|楼上|楼下|隔壁|对门|对面|工作人员|窗口的|民警|警察|交警|城管|保安|门卫|村委会|居委会|街道办|"
                         r"有人|别人|被人|商场|超市|菜市场|市场|饭店|餐馆|饭馆|馆子|工地|工厂|厂里|网约车|出租车|公交车?|地铁|轻轨|"
                         r"马路|路口|路边|路上|街上|人行道|斑马线|路灯|红绿灯|小区|楼道|电梯|学校|幼儿园|公园|广场")
STATEMENT_MARK = re.compile(r"了|不|没|太|很|好几|都|全|还|又|一直|天天|每天|总是|老是|经常|一天到晚")
# Something of the asker's lost ("丢在出租车上了", "不见了"): their own matter, not somebody else's wrong.
LOST = re.compile(r"丢|掉了|遗失|不见了|找不到")
# An agent's summary of a complaint: 12345 agents write "来电人反映…" / "市民投诉…" for what went wrong and
# "…咨询/询问…" for a question; a report that asks nothing is a complaint.
AGENT_REPORTS = re.compile(r"^" + _CALLER + r"(?:来电)?(?:再次|又|多次)?(?:反映|投诉|举报|反应)")
